// The strict framing check on raw request heads (http_framing.h); the same inputs over a socket
// are in http_server_test.cc (StrictFraming).
#include "server/http_framing.h"

#include <gtest/gtest.h>

namespace ocular::server {
namespace {

using Kind = HeadScan::Kind;

std::string Reason(std::string_view head) {
  HeadScan s = ScanRequestHead(head);
  return s.kind == Kind::kRejected   ? s.reason
         : s.kind == Kind::kComplete ? "complete"
                                     : "incomplete";
}

TEST(HttpFraming, CompleteHeadReportsItsLength) {
  const std::string head = "POST /x?y=1 HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\n";
  HeadScan s = ScanRequestHead(head + "hello");
  ASSERT_EQ(s.kind, Kind::kComplete);
  EXPECT_EQ(s.length, head.size());
}

TEST(HttpFraming, IncompleteUntilTheEmptyLine) {
  EXPECT_EQ(Reason(""), "incomplete");
  EXPECT_EQ(Reason("GET / HTTP/1.1\r\nHost: h\r\n"), "incomplete");
  EXPECT_EQ(Reason("GET / HTTP/1.1\r\nHost: h\r\n\r"), "incomplete");
  // A leading empty line is left to Beast; the head still ends at the first empty line after it.
  EXPECT_EQ(Reason("\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n"), "complete");
}

TEST(HttpFraming, BareLineFeedIsRefusedAsSoonAsSeen) {
  EXPECT_EQ(Reason("GET / HTTP/1.1\nHost: h\n\n"), "bare_lf");
  EXPECT_EQ(Reason("GET / HTTP/1.1\r\nHost: h\n"), "bare_lf");
  EXPECT_EQ(Reason("\n"), "bare_lf");
}

TEST(HttpFraming, ObsFoldIsRefused) {
  EXPECT_EQ(Reason("GET / HTTP/1.1\r\nHost: h\r\nX-A: 1\r\n 2\r\n\r\n"), "obs_fold");
  EXPECT_EQ(Reason("GET / HTTP/1.1\r\n\tHost: h\r\n\r\n"), "obs_fold");
}

TEST(HttpFraming, TransferEncodingMustBePlainChunkedAlone) {
  EXPECT_EQ(Reason("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"), "complete");
  EXPECT_EQ(Reason("POST / HTTP/1.1\r\nHost: h\r\ntransfer-encoding:  CHUNKED \r\n\r\n"),
            "complete");
  EXPECT_EQ(Reason("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n"
                   "Content-Length: 5\r\n\r\n"),
            "transfer_encoding_and_content_length");
  EXPECT_EQ(Reason("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n"
                   "Transfer-Encoding: chunked\r\n\r\n"),
            "transfer_encoding_and_content_length");
  EXPECT_EQ(Reason("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n"),
            "transfer_encoding");
  EXPECT_EQ(Reason("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"),
            "transfer_encoding");
  EXPECT_EQ(Reason("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n"
                   "Transfer-Encoding: chunked\r\n\r\n"),
            "transfer_encoding");
  EXPECT_EQ(Reason("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n"),
            "transfer_encoding_http10");
}

TEST(HttpFraming, ContentLengthOnceAndSingle) {
  EXPECT_EQ(Reason("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n"),
            "duplicate_content_length");
  EXPECT_EQ(Reason("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5, 5\r\n\r\n"),
            "duplicate_content_length");
}

TEST(HttpFraming, Http11NeedsExactlyOneHost) {
  EXPECT_EQ(Reason("GET / HTTP/1.1\r\n\r\n"), "host");
  EXPECT_EQ(Reason("GET / HTTP/1.1\r\nHost: a\r\nHOST: b\r\n\r\n"), "host");
  EXPECT_EQ(Reason("GET / HTTP/1.0\r\n\r\n"), "complete");
}

}  // namespace
}  // namespace ocular::server
