#include "analyzers/read/read_languages.h"

#include <algorithm>
#include <cctype>
#include <system_error>

namespace ocular {
namespace {

// Azure /ocr and /read codes (spec §2.2) with a Tesseract pack. Order: the v3.2 /ocr list, then
// extra Read codes.
const std::vector<OcrLanguage>& Table() {
  static const std::vector<OcrLanguage> kTable = {
      {"en", "eng", false},
      {"de", "deu", false},
      {"es", "spa", false},
      {"fr", "fra", false},
      {"it", "ita", false},
      {"pt", "por", false},
      {"ja", "jpn", true},
      {"ko", "kor", true},
      {"zh-Hans", "chi_sim", true},
      {"zh-Hant", "chi_tra", true},
      {"cs", "ces", false},
      {"da", "dan", false},
      {"nl", "nld", false},
      {"fi", "fin", false},
      {"el", "ell", false},
      {"hu", "hun", false},
      {"nb", "nor", false},
      {"pl", "pol", false},
      {"ru", "rus", false},
      {"sv", "swe", false},
      {"tr", "tur", false},
      {"ar", "ara", false},
      {"ro", "ron", false},
      {"sr-Cyrl", "srp", false},
      {"sr-Latn", "srp_latn", false},
      {"sk", "slk", false},
      {"uk", "ukr", false},
      {"bg", "bul", false},
      {"hr", "hrv", false},
      {"sl", "slv", false},
      {"ca", "cat", false},
      {"et", "est", false},
      {"lv", "lav", false},
      {"lt", "lit", false},
      {"id", "ind", false},
      {"vi", "vie", false},
      {"th", "tha", false},
      {"he", "heb", false},
      {"hi", "hin", false},
  };
  return kTable;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

bool PackInstalled(const std::string& pack, const std::filesystem::path& dir) {
  std::error_code ec;
  return std::filesystem::is_regular_file(dir / (pack + ".traineddata"), ec);
}

}  // namespace

bool IsAutoLanguage(std::string_view code) { return code.empty() || EqualsIgnoreCase(code, "unk"); }

StatusOr<OcrLanguage> ResolveOcrLanguage(std::string_view code,
                                         const std::filesystem::path& tessdata_dir) {
  std::string_view lookup = code;
  // Aliases: "zh" (v3.2 analyze spelling) is Simplified Chinese; "pt-BR"/"pt-PT" are Portuguese.
  if (EqualsIgnoreCase(code, "zh")) lookup = "zh-Hans";
  if (EqualsIgnoreCase(code, "pt-BR") || EqualsIgnoreCase(code, "pt-PT")) lookup = "pt";
  for (const OcrLanguage& lang : Table()) {
    if (!EqualsIgnoreCase(lang.azure, lookup)) continue;
    if (!PackInstalled(lang.pack, tessdata_dir)) break;
    return lang;
  }
  return InvalidArgument("The language '" + std::string(code).substr(0, 32) +
                             "' is not supported for text recognition on this server.",
                         "NotSupportedLanguage");
}

std::vector<OcrLanguage> InstalledOcrLanguages(const std::filesystem::path& tessdata_dir) {
  std::vector<OcrLanguage> out;
  for (const OcrLanguage& lang : Table()) {
    if (PackInstalled(lang.pack, tessdata_dir)) out.push_back(lang);
  }
  return out;
}

OcrLanguage AutoLanguageForScript(std::string_view script,
                                  const std::filesystem::path& tessdata_dir) {
  std::string_view code = "en";
  if (script == "Han")
    code = "zh-Hans";
  else if (script == "Japanese" || script == "Katakana" || script == "Hiragana")
    code = "ja";
  else if (script == "Hangul")
    code = "ko";
  else if (script == "Cyrillic")
    code = "ru";
  else if (script == "Greek")
    code = "el";
  else if (script == "Arabic")
    code = "ar";
  else if (script == "Hebrew")
    code = "he";
  else if (script == "Thai")
    code = "th";
  else if (script == "Devanagari")
    code = "hi";
  StatusOr<OcrLanguage> lang = ResolveOcrLanguage(code, tessdata_dir);
  if (lang.ok()) return *lang;
  return OcrLanguage{"en", "eng", false};
}

}  // namespace ocular
