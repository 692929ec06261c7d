// What a differential run does, from the environment:
//   WEFTKIT_PG_SEED      run seed: a number (decimal or 0x hex) or "random"; default 1
//   WEFTKIT_PG_CASES     number of random cases; default 1000
//   WEFTKIT_PG_CASE      run only this case index of the seed (reproduces one disagreement)
//   WEFTKIT_PG_FEATURES  generator language, see generator_language.h; default all
//   WEFTKIT_PG_SAVE_DIR  where to write the files of each disagreeing case; default none
//   WEFTKIT_PG_AOT_EVERY every how many random cases also run through an ahead-of-time module
//                        (eval --engine=aot links one per case, ~0.4 s); default 8, 1 for all
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "tests/pg/generator_language.h"

namespace weftkit::policy::pgtest {

inline constexpr int kDefaultCaseCount = 1000;
inline constexpr int kDefaultAotEvery = 8;

struct DifferentialSettings {
  uint64_t seed = 1;
  int case_count = kDefaultCaseCount;
  std::optional<int> only_case;
  GeneratorLanguage language = GeneratorLanguage::everything();
  std::string save_dir;
  int aot_every = kDefaultAotEvery;
};

// nullopt with `problem` set when a variable has a value that cannot be understood.
std::optional<DifferentialSettings> differential_settings_from_environment(std::string& problem);

}  // namespace weftkit::policy::pgtest
