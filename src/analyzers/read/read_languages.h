// Read (OCR) languages: Azure language codes <-> Tesseract traineddata names, and the packs
// installed on this machine.
//
// Contract:
//   - Azure codes are matched case-insensitively ("zh-hans" == "zh-Hans").
//   - "unk" (v3.2 /ocr default) and "" (v3.2 /read without language) mean auto-detect: the
//     script is detected with Tesseract OSD and mapped to a pack (AutoPackForScript).
//   - A code that is unknown, or whose pack is not installed, is InvalidArgument with inner code
//     NotSupportedLanguage.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace ocular {

// Default traineddata folder of Debian's tesseract-ocr 5 packages.
inline constexpr const char* kDefaultTessdataDir = "/usr/share/tesseract-ocr/5/tessdata";

struct OcrLanguage {
  std::string azure;  // canonical Azure spelling, e.g. "zh-Hans"
  std::string pack;   // tessdata name, e.g. "chi_sim"
  bool cjk = false;   // CJK scripts: 4.0 words are single characters
};

// True for the auto-detect codes "unk" and "".
bool IsAutoLanguage(std::string_view code);

// Maps an Azure code to its language if the code is known and its pack is installed in
// `tessdata_dir`. Errors: InvalidArgument/NotSupportedLanguage.
StatusOr<OcrLanguage> ResolveOcrLanguage(std::string_view code,
                                         const std::filesystem::path& tessdata_dir);

// Every known language whose pack is installed, in table order (for docs and `models list`).
std::vector<OcrLanguage> InstalledOcrLanguages(const std::filesystem::path& tessdata_dir);

// The pack to use for an OSD script name ("Latin", "Han", "Japanese", "Hangul", "Cyrillic",
// "Greek", "Arabic", ...) among the installed packs. Latin (and anything unmapped or not
// installed) falls back to English.
OcrLanguage AutoLanguageForScript(std::string_view script,
                                  const std::filesystem::path& tessdata_dir);

}  // namespace ocular
