// Batch work across machines (docs/deploy.md, "Batch sharding"): which inputs this run of
// `ocular analyze` processes.
//   --shard K/N     the inputs whose position in byte-wise sorted order is K mod N (0 <= K < N),
//                   so N runs with K = 0..N-1 partition any input list: no overlap, no gap;
//   --skip-done F   the inputs without a line in the JSONL file F (an earlier, interrupted run's
//                   output), so appending this run's output to F resumes the job.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "core/status.h"

namespace ocular::cli {

struct Shard {
  int index = 0;  // K
  int count = 1;  // N
};

// Parses "K/N". Errors: InvalidArgument unless 0 <= K < N <= 1000000.
StatusOr<Shard> ParseShard(const std::string& text);

// The inputs of `shard`, in sorted order.
std::vector<std::string> SelectShard(std::vector<std::string> inputs, Shard shard);

// The "source" of every complete line of the JSONL file `path` (a missing file is an empty
// set: the first run of a job). A last line cut short by an interruption (no final newline, or
// not valid JSON) is removed from the file, so that appended output starts on a clean line.
// Errors: FailedPrecondition when the file cannot be read or repaired.
StatusOr<std::set<std::string>> ReadDoneSources(const std::string& path);

}  // namespace ocular::cli
