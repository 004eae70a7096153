// Helpers shared by the tests of the text normalisation steps: building a
// run from code points, the ICU normalisers the steps take, and checks of
// logged changes and decoded readings that say what they got.
#pragma once

#include <gtest/gtest.h>
#include <unicode/normalizer2.h>

#include <string>
#include <string_view>
#include <vector>

#include "bulwark/text/decoded.h"
#include "bulwark/text/text_run.h"

namespace bulwark::text {

// `text` as a step sees it: a run over its UTF-8 bytes.
inline TextRun RunOf(std::u32string_view text) {
  return DecodeUtf8(EncodeUtf8(text));
}

// One of ICU's normalisers: IcuNormalizer(icu::Normalizer2::getNFDInstance).
inline const icu::Normalizer2& IcuNormalizer(
    const icu::Normalizer2* (*get)(UErrorCode&)) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* n = get(status);
  EXPECT_TRUE(U_SUCCESS(status));
  return *n;
}

// `change` is `step` turning `from` at input bytes `original` into `to`.
inline ::testing::AssertionResult IsChange(const Change& change,
                                           std::string_view step, Span original,
                                           std::string_view from,
                                           std::string_view to) {
  if (change.step == step && change.original == original &&
      change.from == from && change.to == to) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure()
         << "the change is " << change.step << " at [" << change.original.begin
         << ", " << change.original.end << "): '" << change.from << "' -> '"
         << change.to << "'";
}

// `found` is exactly one reading, `how`, of `chars`.
inline ::testing::AssertionResult IsOneReading(
    const std::vector<Decoded>& found, std::string_view how,
    std::u32string_view chars) {
  if (found.size() != 1) {
    return ::testing::AssertionFailure() << found.size() << " readings, not 1";
  }
  if (found[0].how != how || found[0].run.chars != chars) {
    return ::testing::AssertionFailure()
           << "the reading is " << found[0].how << ": '"
           << EncodeUtf8(found[0].run.chars) << "'";
  }
  return ::testing::AssertionSuccess();
}

}  // namespace bulwark::text
