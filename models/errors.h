// One exception hierarchy for bad input and broken invariants (docs/architecture.md §1).
// Numerical outcomes of algorithms are reported in result structs, not thrown.
#pragma once

#include <stdexcept>
#include <string>

namespace edopt {

// Bad configuration: scenario keys, command-line flags, designs, rates. Exit code 2.
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Bad input data (spectra, rate tables, OCP tables): names file and line. Exit code 3.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A numerical method could not produce an answer at all. Exit code 4.
class NumericalError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace edopt
