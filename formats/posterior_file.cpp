#include "formats/posterior_file.h"

#include <cmath>

#include "formats/fields.h"
#include "formats/files.h"
#include "models/catalogue.h"
#include "models/errors.h"
#include "models/parameter.h"

namespace edopt {

namespace {

// The header's columns: which hold parameters (with their catalogue entries) and the noise.
struct Columns {
  std::vector<std::string> header;
  std::vector<int> keys;
  std::vector<const CellParameter*> entries;
  int noise = -1;
  int walker = -1, step = -1;  // optional chain ids
};

Columns ReadHeader(const std::string& line, const std::string& name, PosteriorSample* sample) {
  Columns c;
  c.header = SplitFields(line, ',');
  for (size_t i = 0; i < c.header.size(); ++i) {
    const std::string& column = c.header[i];
    for (size_t j = 0; j < i; ++j) {
      if (c.header[j] == column) {
        throw InputError(name + ":1: column '" + column + "' is given twice (columns " +
                         std::to_string(j + 1) + " and " + std::to_string(i + 1) + ")");
      }
    }
    if (column == "noise_pp") {
      c.noise = static_cast<int>(i);
    } else if (column == "walker") {
      c.walker = static_cast<int>(i);
    } else if (column == "step") {
      c.step = static_cast<int>(i);
    } else if (column != "log_posterior") {
      try {
        FindFittable(column);
      } catch (const ConfigError& e) {
        throw InputError(name + ":1: column '" + column + "': " + e.what());
      }
      sample->keys.push_back(column);
      c.keys.push_back(static_cast<int>(i));
      c.entries.push_back(FindCellParameter(column));
    }
  }
  if (c.noise < 0) throw InputError(name + ":1: missing column 'noise_pp'");
  if (sample->keys.empty()) throw InputError(name + ":1: no parameter columns");
  return c;
}

void ReadDraw(const std::string& line, const std::string& where, const Columns& c,
              PosteriorSample* sample) {
  const auto row = SplitFields(line, ',');
  if (row.size() != c.header.size()) {
    throw InputError(where + ": " + std::to_string(row.size()) + " fields, expected " +
                     std::to_string(c.header.size()));
  }
  std::vector<double> values;
  for (size_t k = 0; k < c.keys.size(); ++k) {
    const int column = c.keys[k];
    const double v = NumberField(row[column], where, c.header[column]);
    if (!c.entries[k]->range.Contains(v)) {
      throw InputError(where + ": field " + c.header[column] + " = '" + row[column] +
                       "' is out of range; expected " + c.entries[k]->range.Describe());
    }
    values.push_back(v);
  }
  const double noise = NumberField(row[c.noise], where, "noise_pp");
  if (!(noise > 0)) throw InputError(where + ": field noise_pp must be > 0");
  sample->values.push_back(values);
  sample->noise_pp.push_back(noise);
  for (const auto& [column, ids] :
       {std::make_pair(c.walker, &sample->walker), std::make_pair(c.step, &sample->step)}) {
    if (column < 0) continue;
    const double id = NumberField(row[column], where, c.header[column]);
    if (!(id >= 1 && id == std::floor(id) && id < 1e9)) {
      throw InputError(where + ": field " + c.header[column] + " = '" + row[column] +
                       "' is not a positive integer");
    }
    ids->push_back(static_cast<int>(id));
  }
}

}  // namespace

PosteriorSample ParsePosteriorSample(const std::string& text, const std::string& name) {
  const auto lines = SplitLines(text);
  if (lines.empty() || Trim(lines[0]).empty()) throw InputError(name + ": the file is empty");
  PosteriorSample sample;
  const Columns columns = ReadHeader(lines[0], name, &sample);
  for (size_t l = 1; l < lines.size(); ++l) {
    if (Trim(lines[l]).empty()) continue;
    ReadDraw(lines[l], Where(name, static_cast<int>(l + 1)), columns, &sample);
  }
  if (sample.values.size() < 2) {
    throw InputError(name + ": " + std::to_string(sample.values.size()) +
                     " draw(s); a posterior sample needs at least 2");
  }
  return sample;
}

PosteriorSample ReadPosteriorSample(const std::string& path) {
  return ParsePosteriorSample(ReadTextFile(path, "posterior sample"), path);
}

std::string FormatPosteriorSample(const PosteriorSample& sample,
                                  const std::vector<double>& log_posterior, int walkers) {
  const bool with_density = log_posterior.size() == sample.values.size();
  auto number = [](double v) { return FormatG(v, 8); };
  std::string text = walkers > 0 ? "walker,step," : "";
  for (const auto& key : sample.keys) text += key + ',';
  text += with_density ? "noise_pp,log_posterior\n" : "noise_pp\n";
  for (size_t s = 0; s < sample.values.size(); ++s) {
    if (walkers > 0) {
      const size_t w = static_cast<size_t>(walkers);
      text += std::to_string(s % w + 1) + ',' + std::to_string(s / w + 1) + ',';
    }
    for (double v : sample.values[s]) text += number(v) + ',';
    text += number(sample.noise_pp[s]);
    if (with_density) text += ',' + number(log_posterior[s]);
    text += '\n';
  }
  return text;
}

}  // namespace edopt
