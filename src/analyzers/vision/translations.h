// Tag translation tables for the tag languages en, es, ja, pt, zh (hand-written, one row per
// English tag of TagVocabulary(); tests/unit/analyzers/translations_test.cc checks coverage).
#pragma once

#include <optional>
#include <set>
#include <string>

namespace ocular {

// The languages tags can be returned in.
const std::set<std::string>& TranslatedTagLanguages();

// `english` in `language` ("en", "es", "ja", "pt", "zh", case-insensitive; "zh-Hans" is "zh",
// "pt-BR"/"pt-PT" are "pt"). nullopt when the word or the language has no entry.
std::optional<std::string> TranslateTag(const std::string& english, const std::string& language);

}  // namespace ocular
