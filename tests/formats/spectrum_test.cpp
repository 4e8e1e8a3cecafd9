// Spectrum readers: every format round-trips a synthetic spectrum through the TLM fit, and bad
// files fail with the file, line and field named.
#include "formats/spectrum.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <sstream>

#include "../models/impedance_test.h"
#include "models/errors.h"
#include "mpr_fixture.h"

namespace edopt {
namespace {

using testing::Mpr;

const TlmParameters kTruth = testing::SeedLikeCell(260.0, 0.85);

std::string Num(double v, bool comma = false) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.9e", v);
  std::string s = buffer;
  if (comma) std::replace(s.begin(), s.end(), '.', ',');
  return s;
}

std::string Csv(const Spectrum& s) {
  std::ostringstream os;
  os << "frequency_Hz,z_real_ohm,z_imag_ohm\n";
  for (size_t k = 0; k < s.frequency_Hz.size(); ++k)
    os << Num(s.frequency_Hz[k]) << ',' << Num(s.impedance_ohm[k].real()) << ','
       << Num(s.impedance_ohm[k].imag()) << '\n';
  return os.str();
}

std::string CsvNoHeaderMinusIm(const Spectrum& s) {
  std::ostringstream os;
  for (size_t k = 0; k < s.frequency_Hz.size(); ++k)
    os << Num(s.frequency_Hz[k]) << ", " << Num(s.impedance_ohm[k].real()) << ", "
       << Num(-s.impedance_ohm[k].imag()) << '\n';
  return os.str();
}

std::string CsvSemicolonDecimalComma(const Spectrum& s) {
  std::ostringstream os;
  os << "Freq (Hz);Re(Z) (Ohm);-Im(Z) (Ohm)\n";
  for (size_t k = 0; k < s.frequency_Hz.size(); ++k)
    os << Num(s.frequency_Hz[k], true) << ';' << Num(s.impedance_ohm[k].real(), true) << ';'
       << Num(-s.impedance_ohm[k].imag(), true) << '\n';
  return os.str();
}

std::string Gamry(const Spectrum& s) {
  std::ostringstream os;
  os << "EXPLAIN\nTAG\tEISPOT\nTITLE\tLABEL\tPotentiostatic EIS\tTest &Identifier\n"
     << "ZCURVE\tTABLE\n"
     << "\tPt\tTime\tFreq\tZreal\tZimag\tZsig\tZmod\tZphz\tIdc\tVdc\tIERange\n"
     << "\t#\ts\tHz\tohm\tohm\tV\tohm\tdeg\tA\tV\t#\n";
  for (size_t k = 0; k < s.frequency_Hz.size(); ++k)
    os << '\t' << k << '\t' << k << '\t' << Num(s.frequency_Hz[k]) << '\t'
       << Num(s.impedance_ohm[k].real()) << '\t' << Num(s.impedance_ohm[k].imag()) << "\t1\t"
       << Num(std::abs(s.impedance_ohm[k])) << "\t-45\t0\t0\t7\n";
  os << "EXPERIMENTABORTED\tTOGGLE\tF\n";
  return os.str();
}

std::string Biologic(const Spectrum& s, int sweeps, bool comma) {
  std::ostringstream os;
  os << "EC-Lab ASCII FILE\nNb header lines : 5\n\nPotentio Electrochemical Impedance "
        "Spectroscopy\n"
     << "freq/Hz\tRe(Z)/Ohm\t-Im(Z)/Ohm\t|Z|/Ohm\ttime/s\tcycle number\n";
  for (int c = 0; c < sweeps; ++c) {
    for (size_t k = 0; k < s.frequency_Hz.size(); ++k)
      os << Num(s.frequency_Hz[k], comma) << '\t' << Num(s.impedance_ohm[k].real(), comma) << '\t'
         << Num(-s.impedance_ohm[k].imag(), comma) << '\t'
         << Num(std::abs(s.impedance_ohm[k]), comma) << '\t' << Num(double(k), comma) << '\t'
         << c + 1 << '\n';
  }
  return os.str();
}

std::string Zview(const Spectrum& s) {
  std::ostringstream os;
  os << "ZPlot2 ASCII\n  Measured Data, ZPlot:       3.2c\n  Experiment Type:  Sweep "
        "Frequency\nEnd Comments\n";
  for (size_t k = 0; k < s.frequency_Hz.size(); ++k)
    os << Num(s.frequency_Hz[k]) << ", 0.01, 0, " << k << ", " << Num(s.impedance_ohm[k].real())
       << ", " << Num(s.impedance_ohm[k].imag()) << ", 0, 0, 3\n";
  return os.str();
}

void ExpectFitsBack(const SpectrumFile& file, SpectrumFormat format, size_t sweeps) {
  EXPECT_EQ(file.format, format) << ToString(file.format);
  ASSERT_EQ(file.sweeps.size(), sweeps);
  for (const auto& s : file.sweeps) {
    ASSERT_EQ(s.frequency_Hz.size(), 61u) << s.name;
    const auto fit = FitTlm(s);
    EXPECT_NEAR(fit.parameters.r_ion_ohm / kTruth.r_ion_ohm, 1.0, 0.01) << s.name;
    EXPECT_NEAR(fit.parameters.gamma, kTruth.gamma, 0.02) << s.name;
  }
}

TEST(SpectrumFiles, EveryFormatRoundTripsThroughTheFit) {
  const Spectrum s = testing::SyntheticSpectrum(kTruth, 0.005, 11);
  ExpectFitsBack(ParseSpectrumText(Csv(s), "a.csv"), SpectrumFormat::kCsv, 1);
  ExpectFitsBack(ParseSpectrumText(CsvNoHeaderMinusIm(s), "b.txt"), SpectrumFormat::kCsv, 1);
  ExpectFitsBack(ParseSpectrumText(CsvSemicolonDecimalComma(s), "c.csv"), SpectrumFormat::kCsv, 1);
  ExpectFitsBack(ParseSpectrumText(Gamry(s), "d.DTA"), SpectrumFormat::kGamryDta, 1);
  ExpectFitsBack(ParseSpectrumText(Biologic(s, 1, false), "e.mpt"), SpectrumFormat::kBiologicMpt,
                 1);
  ExpectFitsBack(ParseSpectrumText(Biologic(s, 3, true), "f.mpt"), SpectrumFormat::kBiologicMpt, 3);
  ExpectFitsBack(ParseSpectrumText(Zview(s), "g.z"), SpectrumFormat::kZviewZ, 1);
}

TEST(SpectrumFiles, SignsAndColumnsAreReadNotGuessed) {
  const Spectrum s = testing::SyntheticSpectrum(kTruth, 0.0);
  for (const auto& text : {Csv(s), CsvNoHeaderMinusIm(s), CsvSemicolonDecimalComma(s), Gamry(s),
                           Biologic(s, 1, true), Zview(s)}) {
    const auto f = ParseSpectrumText(text, "x");
    ASSERT_EQ(f.sweeps.size(), 1u);
    for (size_t k = 0; k < s.frequency_Hz.size(); ++k) {
      EXPECT_NEAR(std::abs(f.sweeps[0].impedance_ohm[k] - s.impedance_ohm[k]), 0.0,
                  1e-8 * std::abs(s.impedance_ohm[k]))
          << ToString(f.format) << " row " << k;
    }
  }
}

std::string ErrorOf(const std::string& text, const std::string& name) {
  try {
    ParseSpectrumText(text, name);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

TEST(SpectrumFiles, BadFilesNameFileLineAndField) {
  const Spectrum s = testing::SyntheticSpectrum(kTruth, 0.0);
  std::string csv = Csv(s);
  EXPECT_NE(ErrorOf("", "empty.csv").find("empty.csv: the file is empty"), std::string::npos);
  EXPECT_NE(ErrorOf("frequency_Hz,z_real_ohm,z_imag_ohm\n", "h.csv").find("no data"),
            std::string::npos);
  const std::string missing = ErrorOf("frequency_Hz,z_real_ohm,phase\n1,2,3\n", "m.csv");
  EXPECT_NE(missing.find("m.csv:1"), std::string::npos) << missing;
  EXPECT_NE(missing.find("Im(Z)"), std::string::npos) << missing;
  // Row 4 of the file (3rd data row): non-numeric, NaN.
  auto with_row = [&](const std::string& row) {
    std::istringstream in(csv);
    std::string line, out;
    for (int i = 1; std::getline(in, line); ++i) out += (i == 4 ? row : line) + "\n";
    return out;
  };
  const std::string text = ErrorOf(with_row("1000,abc,-5"), "t.csv");
  EXPECT_NE(text.find("t.csv:4"), std::string::npos) << text;
  EXPECT_NE(text.find("z_real_ohm = 'abc'"), std::string::npos) << text;
  EXPECT_NE(ErrorOf(with_row("1000,nan,-5"), "n.csv").find("n.csv:4"), std::string::npos);
  EXPECT_NE(ErrorOf(with_row("-1000,20,-5"), "f.csv").find("expected > 0"), std::string::npos);
  EXPECT_NE(ErrorOf(with_row("1000,20"), "c.csv").find("c.csv:4"), std::string::npos);
  // A repeated frequency.
  std::istringstream in(csv);
  std::string header, r1, r2, rest;
  std::getline(in, header);
  std::getline(in, r1);
  const std::string dup = header + "\n" + r1 + "\n" + r1 + "\n";
  EXPECT_NE(ErrorOf(dup, "d.csv").find("repeats"), std::string::npos);
  // Too few points for the fit.
  std::string few = header + "\n";
  for (int i = 0; i < 4; ++i) {
    std::getline(in, r2);
    few += r2 + "\n";
  }
  EXPECT_NE(ErrorOf(few, "few.csv").find("at least 5"), std::string::npos);
  // A BioLogic header count beyond the file.
  EXPECT_NE(ErrorOf("EC-Lab ASCII FILE\nNb header lines : 99\n", "b.mpt").find("b.mpt"),
            std::string::npos);
}

// Real exports, one test per defect class of issue 14.

// A Gamry ZCURVE after a long OCV table: found by its keyword wherever it is.
TEST(SpectrumFiles, GamryZcurveAfterALongOcvTable) {
  const Spectrum s = testing::SyntheticSpectrum(kTruth, 0.0);
  std::string text = "EXPLAIN\nTAG\tEISPOT\nOCVCURVE\tTABLE\n\tPt\tT\tVf\n\t#\ts\tV vs. Ref.\n";
  for (int k = 0; k < 500; ++k)
    text += "\t" + std::to_string(k) + "\t" + std::to_string(k) + "\t0.1\n";
  const std::string gamry = Gamry(s);
  text += "\n" + gamry.substr(gamry.find("ZCURVE"));
  ExpectFitsBack(ParseSpectrumText(text, "long.DTA"), SpectrumFormat::kGamryDta, 1);
}

// Gamry rows separated by spaces instead of tabs line up with the header all the same.
TEST(SpectrumFiles, GamryWithSpaceSeparatedRows) {
  const Spectrum s = testing::SyntheticSpectrum(kTruth, 0.0);
  std::string text = Gamry(s);
  std::replace(text.begin(), text.end(), '\t', ' ');
  const auto f = ParseSpectrumText(text, "spaces.DTA");
  ASSERT_EQ(f.sweeps.size(), 1u);
  EXPECT_DOUBLE_EQ(f.sweeps[0].frequency_Hz[0], s.frequency_Hz[0]);
  EXPECT_NEAR(f.sweeps[0].impedance_ohm[3].real(), s.impedance_ohm[3].real(), 1e-6);
}

// A ZPlot file without an 'End Comments' line: the data start after the text header.
// Instrument exports seen in the wild (hardening round three): a ZPlot header without 'End
// Comments' but with the sweep-parameter line and a point count above a named column header;
// a ZView "Z60W Data File" saved as .txt; a Parstat table after hundreds of DC rows.
TEST(SpectrumFiles, InstrumentHeaderVariants) {
  const Spectrum s = testing::SyntheticSpectrum(kTruth, 0.0);
  std::ostringstream zplot;
  zplot << "ZPlot2 ASCII\n\"Scribner Associates\"\nSweep Freq\n0,3,0,1,300000,0.005\n"
        << s.frequency_Hz.size()
        << "\nFreq(Hz)\tAmpl\tBias\tTime(Sec)\tZ'(a)\tZ''(b)\tGD\tErr\tRange\n";
  for (size_t k = 0; k < s.frequency_Hz.size(); ++k) {
    zplot << Num(s.frequency_Hz[k]) << "\t0.01\t0\t" << k << "\t" << Num(s.impedance_ohm[k].real())
          << "\t" << Num(s.impedance_ohm[k].imag()) << "\t0\t0\t1\n";
  }
  ExpectFitsBack(ParseSpectrumText(zplot.str(), "params.z"), SpectrumFormat::kZviewZ, 1);
  std::ostringstream z60w;
  z60w << "\"Z60W Data File: Version 1.1\"\n\"composite 6:4 63 um\"\n0,2\n"
       << s.frequency_Hz.size() << "\n";
  for (size_t k = 0; k < s.frequency_Hz.size(); ++k) {
    z60w << Num(s.frequency_Hz[k]) << ", " << Num(s.impedance_ohm[k].real()) << ", "
         << Num(s.impedance_ohm[k].imag()) << "\n";
  }
  ExpectFitsBack(ParseSpectrumText(z60w.str(), "z60w.txt"), SpectrumFormat::kZviewZ, 1);
  std::ostringstream parstat;
  parstat << "Segment,Point,Frequency (Hz),Z' (ohm),Z'' (ohm)\n";
  for (int k = 0; k < 300; ++k) parstat << "1," << k << ",0,0,0\n";
  for (size_t k = 0; k < s.frequency_Hz.size(); ++k) {
    parstat << "2," << k << "," << Num(s.frequency_Hz[k]) << "," << Num(s.impedance_ohm[k].real())
            << "," << Num(s.impedance_ohm[k].imag()) << "\n";
  }
  const SpectrumFile file = ParseSpectrumText(parstat.str(), "parstat.csv");
  ExpectFitsBack(file, SpectrumFormat::kCsv, 1);
  bool said = false;
  for (const auto& n : file.notes) said |= n.find("300 row(s) of frequency 0") != std::string::npos;
  EXPECT_TRUE(said);
}

TEST(SpectrumFiles, ZplotWithoutEndComments) {
  const Spectrum s = testing::SyntheticSpectrum(kTruth, 0.0);
  std::string z = Zview(s);
  z = "\"ZPlotW Data File: Version 3.5\"\n\"Sweep Frequency\"\n" +
      z.substr(z.find("End Comments\n") + 13);
  ExpectFitsBack(ParseSpectrumText(z, "noend.z"), SpectrumFormat::kZviewZ, 1);
}

// Admittance columns are not impedance: without Im(Z) the file is refused, unless |Z| and the
// phase are there, from which Z is computed (and the notes say so).
TEST(SpectrumFiles, ColumnsMatchQuantityAndUnitExactly) {
  const Spectrum s = testing::SyntheticSpectrum(kTruth, 0.0);
  std::ostringstream y, polar;
  y << "EC-Lab ASCII FILE\nNb header lines : 4\n\nfreq/Hz\tRe(Y)/Ohm-1\tIm(Y)/Ohm-1\n";
  polar
      << "EC-Lab ASCII FILE\nNb header lines : 4\n\nfreq/Hz\t|Z|/Ohm\tPhase(Z)/deg\tRe(Y)/Ohm-1\n";
  for (size_t k = 0; k < s.frequency_Hz.size(); ++k) {
    const Complex z = s.impedance_ohm[k];
    y << Num(s.frequency_Hz[k]) << '\t' << Num((1.0 / z).real()) << '\t' << Num((1.0 / z).imag())
      << '\n';
    polar << Num(s.frequency_Hz[k]) << '\t' << Num(std::abs(z)) << '\t'
          << Num(std::arg(z) * 180 / 3.14159265358979323846) << '\t' << Num((1.0 / z).real())
          << '\n';
  }
  const std::string e = ErrorOf(y.str(), "admittance.mpt");
  EXPECT_NE(e.find("Im(Z)"), std::string::npos) << e;
  EXPECT_NE(e.find("admittance.mpt:4"), std::string::npos) << e;
  const auto f = ParseSpectrumText(polar.str(), "polar.mpt");
  ASSERT_EQ(f.sweeps.size(), 1u);
  for (size_t k = 0; k < s.frequency_Hz.size(); ++k) {
    EXPECT_NEAR(std::abs(f.sweeps[0].impedance_ohm[k] - s.impedance_ohm[k]), 0.0,
                1e-8 * std::abs(s.impedance_ohm[k]));
  }
  ASSERT_FALSE(f.notes.empty());
  EXPECT_NE(f.notes[0].find("computed from"), std::string::npos) << f.notes[0];
}

// A UTF-8 byte-order mark and quoted fields with decimal commas.
TEST(SpectrumFiles, ByteOrderMarkAndQuotedDecimalCommas) {
  const Spectrum s = testing::SyntheticSpectrum(kTruth, 0.0);
  ExpectFitsBack(ParseSpectrumText("\xEF\xBB\xBF" + Csv(s), "bom.csv"), SpectrumFormat::kCsv, 1);
  std::ostringstream q;
  q << "\"Frequency (Hz)\",\"Z' (Ohm)\",\"Z'' (Ohm)\"\n";
  for (size_t k = 0; k < s.frequency_Hz.size(); ++k) {
    q << '"' << Num(s.frequency_Hz[k], true) << "\",\"" << Num(s.impedance_ohm[k].real(), true)
      << "\",\"" << Num(s.impedance_ohm[k].imag(), true) << "\"\n";
  }
  const auto f = ParseSpectrumText(q.str(), "quoted.csv");
  ASSERT_EQ(f.sweeps.size(), 1u);
  EXPECT_NEAR(f.sweeps[0].frequency_Hz[0], 1e5, 1e-6);  // not 1 Hz from a split "1,0e+05"
  EXPECT_NEAR(f.sweeps[0].impedance_ohm[5].imag(), s.impedance_ohm[5].imag(), 1e-6);
}

// Text exports with a preamble above the header (CH Instruments style: Freq/Hz, Z'/ohm,
// Z"/ohm, Z/ohm, Phase/deg; PowerSuite: Frequency, Zre, Zimg).
TEST(SpectrumFiles, InstrumentPreambleAboveTheHeader) {
  const Spectrum s = testing::SyntheticSpectrum(kTruth, 0.0);
  std::ostringstream chi, ps;
  chi << "Nov. 30, 2026   10:00:00\nA.C. Impedance\nFile: cell63.bin\nInit E (V) = 0\n"
         "High Frequency (Hz) = 1e5\nLow Frequency (Hz) = 0.1\nAmplitude (V) = 0.01\n\n"
         "Freq/Hz, Z'/ohm, Z\"/ohm, Z/ohm, Phase/deg\n\n";
  ps << "PowerSuite export\nSample: NG/LPS 6:4\nFrequency,Zre,Zimg\n";
  for (size_t k = 0; k < s.frequency_Hz.size(); ++k) {
    const Complex z = s.impedance_ohm[k];
    chi << Num(s.frequency_Hz[k]) << ", " << Num(z.real()) << ", " << Num(z.imag()) << ", "
        << Num(std::abs(z)) << ", " << Num(std::arg(z) * 180 / 3.14159265358979323846) << "\n";
    ps << Num(s.frequency_Hz[k]) << "," << Num(z.real()) << "," << Num(z.imag()) << "\n";
  }
  ExpectFitsBack(ParseSpectrumText(chi.str(), "chi.txt"), SpectrumFormat::kCsv, 1);
  // VersaStudio .par: XML-like sections, a Definition= line naming the columns, rows, a tag.
  std::ostringstream par;
  par << "<VersaStudioParFile>\n<Application>\nName=VersaStudio\n</Application>\n<Segment1>\n"
         "Definition=Segment #,Point #,E(V),I(A),Elapsed Time(s),Frequency(Hz),Z Real,Z Imag\n";
  for (size_t k = 0; k < s.frequency_Hz.size(); ++k) {
    const Complex z = s.impedance_ohm[k];
    par << "1," << k << ",0,0," << k << "," << Num(s.frequency_Hz[k]) << "," << Num(z.real()) << ","
        << Num(z.imag()) << "\n";
  }
  par << "</Segment1>\n</VersaStudioParFile>\n";
  ExpectFitsBack(ParseSpectrumText(par.str(), "v.par"), SpectrumFormat::kCsv, 1);
  ExpectFitsBack(ParseSpectrumText(ps.str(), "ps.txt"), SpectrumFormat::kCsv, 1);
}

TEST(SpectrumFiles, BiologicMprBinary) {
  const Spectrum s = testing::SyntheticSpectrum(kTruth, 0.005, 3);
  for (bool new_header : {false, true}) {
    for (int version : {0, 2, 3}) {
      const auto f = ParseBiologicMpr(Mpr(s, new_header, version), "x.mpr");
      EXPECT_EQ(f.format, SpectrumFormat::kBiologicMpr);
      ASSERT_EQ(f.sweeps.size(), 1u);
      ASSERT_EQ(f.sweeps[0].frequency_Hz.size(), s.frequency_Hz.size());
      for (size_t k = 0; k < s.frequency_Hz.size(); ++k) {  // float32 in the file
        EXPECT_NEAR(std::abs(f.sweeps[0].impedance_ohm[k] - s.impedance_ohm[k]), 0.0,
                    1e-6 * std::abs(s.impedance_ohm[k]));
      }
      ExpectFitsBack(f, SpectrumFormat::kBiologicMpr, 1);
    }
  }
  const std::string bytes = Mpr(s, true, 3);
  EXPECT_TRUE(IsBiologicMpr(bytes));
  try {
    ParseBiologicMpr(bytes.substr(0, bytes.size() - 100), "cut.mpr");
    FAIL() << "a truncated file was read";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("cut.mpr"), std::string::npos) << e.what();
  }
}

// Every length and count in a binary file is checked against the bytes left before use: every
// prefix of a valid file, and files whose column count, point count or module length lie, end
// in InputError naming the file (run under AddressSanitizer in CI: no read past the end).
TEST(SpectrumFiles, BiologicMprLengthsAreCheckedBeforeUse) {
  const Spectrum s = testing::SyntheticSpectrum(kTruth, 0.005, 3);
  auto expect_refused = [](const std::string& bytes, const std::string& what) {
    try {
      ParseBiologicMpr(bytes, "bad.mpr");
      ADD_FAILURE() << what << ": read";
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find("bad.mpr"), std::string::npos) << e.what();
    }
  };
  for (int version : {0, 3}) {
    const std::string bytes = Mpr(s, version == 3, version);
    for (size_t n = 0; n < bytes.size(); n += (n < 900 ? 1 : 97)) {
      expect_refused(bytes.substr(0, n), "prefix of " + std::to_string(n) + " bytes");
    }
  }
  // The data module's body starts after its header: magic (52), VMP Set module (41 + 12 + 8 +
  // 100 bytes with the old header), the VMP data module header (41 + 8 + 8).
  const size_t body = 52 + 41 + 16 + 100 + 41 + 16;
  std::string bytes = Mpr(s, false, 0);
  ASSERT_EQ(bytes.compare(body - 16 - 41, 6, "MODULE"), 0);
  std::string lying = bytes;
  lying[body + 4] = static_cast<char>(255);  // 255 column ids; the module and file end at 100
  lying[body - 16] = 100;
  for (int k = 1; k < 4; ++k) lying[body - 16 + k] = 0;
  expect_refused(lying.substr(0, body + 100), "255 columns in a version-0 table");
  expect_refused(lying.substr(0, body + 60), "a column table cut by the end of the file");
  lying = bytes;
  for (int k = 0; k < 4; ++k) lying[body + k] = static_cast<char>(0xFF);  // 4e9 points
  expect_refused(lying, "a point count beyond the file");
  lying = bytes;
  lying[body + 5 + 2] = static_cast<char>(250);  // an unknown column id
  expect_refused(lying, "an unknown column id");
}

}  // namespace
}  // namespace edopt

namespace edopt {
namespace {

// The exports labs have by default (issue 38), each written here in its instrument's layout with
// a synthetic spectrum: every value must read back exactly, in the right columns, with the
// right sign. Layouts from the public sample sets of impedance.py (ZPlot without comments) and
// pyimpspec (Eco Chemie .P00, PalmSens .pssession), and writers of the Z60W (ZView) export.

// Values read back: every point of the first sweep equals the spectrum's.
void ExpectSame(const SpectrumFile& f, const Spectrum& s, SpectrumFormat format) {
  EXPECT_EQ(f.format, format) << ToString(f.format);
  ASSERT_EQ(f.sweeps.size(), 1u);
  ASSERT_EQ(f.sweeps[0].frequency_Hz.size(), s.frequency_Hz.size());
  for (size_t k = 0; k < s.frequency_Hz.size(); ++k) {
    EXPECT_NEAR(f.sweeps[0].frequency_Hz[k], s.frequency_Hz[k], 1e-8 * s.frequency_Hz[k]) << k;
    EXPECT_NEAR(std::abs(f.sweeps[0].impedance_ohm[k] - s.impedance_ohm[k]), 0.0,
                1e-8 * std::abs(s.impedance_ohm[k]))
        << ToString(f.format) << " row " << k;
  }
}

// ZPlotW without its comment block: quoted title lines, a sweep-parameter line, the point count
// and a quoted, blank-separated header above comma-separated rows. The amplitude varies, so a
// column shift would read it as the frequency.
std::string ZplotNoComments(const Spectrum& s) {
  std::ostringstream os;
  os << "\"ZPlotW Data File: Version 3.2c\"\n\"Raw Data\"\n\"Sweep Frequency: Control Voltage\"\n"
     << "Date: 12-17-2019    Time: 16:24:35\nsymmetric cell, 25 C\n"
     << "\"Open Circuit Potential (V):  0 \"\n\"Frequency\"\n0,3,0,1,300000,0.005\n"
     << s.frequency_Hz.size() << "\n"
     << "\"  Freq(Hz)    Ampl     Bias   Time(Sec)   Z'(a)    Z''(b)    GD   Err   Range\"\n";
  for (size_t k = 0; k < s.frequency_Hz.size(); ++k)
    os << Num(s.frequency_Hz[k]) << ", " << Num(0.01 + 1e-4 * double(k)) << ", 0.0000E+00, "
       << Num(2.5 + double(k)) << ", " << Num(s.impedance_ohm[k].real()) << ", "
       << Num(s.impedance_ohm[k].imag()) << ", 0.0000E+00, 0, 5\n";
  return os.str();
}

// The Z60W (ZView) export of Autolab NOVA and FRA: a quoted title, empty quoted lines, the
// parameter line, the count, a header (';' inside it) and blank-separated rows.
std::string Z60w(const Spectrum& s, bool with_header) {
  std::ostringstream os;
  os << "\"Z60W Data File: Version 1.1\"\n";
  for (int k = 0; k < 7; ++k) os << "\"\"\n";
  os << "0.2.0.1.1.100000\n" << s.frequency_Hz.size() << "\n";
  if (with_header) os << "Freq (Hz) Ampl Time(Sec); Z'(a) Z''(b) GD Err Range\n";
  for (size_t k = 0; k < s.frequency_Hz.size(); ++k)
    os << Num(s.frequency_Hz[k]) << " 0.01 0.00000 " << Num(double(k)) << ' '
       << Num(s.impedance_ohm[k].real()) << ' ' << Num(s.impedance_ohm[k].imag())
       << " 0.00000 0.00000 0.00000\n";
  return os.str();
}

// The same written by a CSV writer: empty lines, comma-separated, nine columns.
std::string Z60wCsv(const Spectrum& s) {
  std::ostringstream os;
  os << "Z60W Data File: Version 1.1\n\n\n\n\n\n\n\n0,2,0,1,0.1,100000\n"
     << s.frequency_Hz.size() << "\n";
  for (size_t k = 0; k < s.frequency_Hz.size(); ++k)
    os << Num(s.frequency_Hz[k]) << ",0,0,0," << Num(s.impedance_ohm[k].real()) << ','
       << Num(s.impedance_ohm[k].imag()) << ",0,0,0\n";
  return os.str();
}

// Eco Chemie (Autolab GPES/FRA) .P00: a preamble, a tab-separated header with -Z'', the point
// count on its own line, rows ending in a tab.
std::string EcoChemieP00(const Spectrum& s) {
  std::ostringstream os;
  os << "Procedure : symmetric cell\n01.02.2024 10:00:00 - 01.02.2024 10:12:16 i(init)= 183.1nA "
        "- i(end)= 7.88nA\nDescription\nt =  736.4 s\n"
     << " f/Hz       \t Z'/Ohm     \t -Z''/Ohm   \t time/s    \t Edc/V     \t Idc/A     \t\n "
     << s.frequency_Hz.size() << " \n";
  for (size_t k = 0; k < s.frequency_Hz.size(); ++k)
    os << ' ' << Num(s.frequency_Hz[k]) << "\t " << Num(s.impedance_ohm[k].real()) << "\t "
       << Num(-s.impedance_ohm[k].imag()) << "\t 59.300e+00\t 30.981e-02\t 18.311e-08\t\n";
  return os.str();
}

// PalmSens .pssession: UTF-16LE JSON (with a BOM and trailing bytes after the object); each
// measurement's DataSet holds value arrays by unit type; ZIm is stored as -Im(Z).
std::string PalmsensSession(const Spectrum& s, bool second_measurement) {
  auto values = [&](const char* unit, int which) {
    std::string v = "{\"Unit\":{\"Type\":\"PalmSens.Units." + std::string(unit) +
                    "\",\"S\":\"\",\"Q\":\"\"},\"DataValues\":[";
    for (size_t k = 0; k < s.frequency_Hz.size(); ++k) {
      const double x = which == 0   ? s.frequency_Hz[k]
                       : which == 1 ? s.impedance_ohm[k].real()
                                    : -s.impedance_ohm[k].imag();
      v += std::string(k ? "," : "") + "{\"V\":" + Num(x) + "}";
    }
    return v + "]}";
  };
  auto measurement = [&](const char* title) {
    return "{\"Title\":\"" + std::string(title) +
           "\",\"DataSet\":{\"Type\":\"PalmSens.Data.DataSetEIS\",\"Values\":[" +
           values("Hertz", 0) + "," + values("ZRe", 1) + "," + values("ZIm", 2) + "]}}";
  };
  const std::string json = "{\"Type\":\"PalmSens.DataFiles.SessionFile\",\"Measurements\":[" +
                           measurement("EIS 1") +
                           (second_measurement ? "," + measurement("EIS 2") : "") + "]}";
  std::string utf16 = "\xFF\xFE";
  for (char c : json + "\r\n\x01") {
    utf16 += c;
    utf16 += '\0';
  }
  return utf16;
}

TEST(InstrumentFiles, DefaultExportsReadEveryValueInItsColumn) {
  const Spectrum s = testing::SyntheticSpectrum(kTruth, 0.0);
  ExpectSame(ParseSpectrumText(ZplotNoComments(s), "nocomments.z"), s, SpectrumFormat::kZviewZ);
  ExpectSame(ParseSpectrumText(Z60w(s, true), "nova.z"), s, SpectrumFormat::kZviewZ);
  ExpectSame(ParseSpectrumText(Z60w(s, false), "nova2.z"), s, SpectrumFormat::kZviewZ);
  ExpectSame(ParseSpectrumText(Z60wCsv(s), "nova3.z"), s, SpectrumFormat::kZviewZ);
  ExpectSame(ParseSpectrumText(EcoChemieP00(s), "cell.P00"), s, SpectrumFormat::kCsv);
  ExpectSame(ParseSpectrumBytes(PalmsensSession(s, false), "cell.pssession"), s,
             SpectrumFormat::kPalmsensSession);
  const SpectrumFile two = ParseSpectrumBytes(PalmsensSession(s, true), "two.pssession");
  EXPECT_EQ(two.sweeps.size(), 2u);
}

// A header whose names do not line up with the rows (one quoted name, a unit split off by a
// blank) is refused, naming both counts, instead of shifting every column by one.
TEST(InstrumentFiles, HeadersThatDoNotLineUpAreRefused) {
  const Spectrum s = testing::SyntheticSpectrum(kTruth, 0.0);
  std::ostringstream os;
  os << "Freq (Hz) Zreal Zimag\n";
  for (size_t k = 0; k < s.frequency_Hz.size(); ++k)
    os << Num(s.frequency_Hz[k]) << ' ' << Num(s.impedance_ohm[k].real()) << ' '
       << Num(s.impedance_ohm[k].imag()) << '\n';
  const std::string e = ErrorOf(os.str(), "shift.txt");
  EXPECT_NE(e.find("shift.txt:2"), std::string::npos) << e;
  EXPECT_NE(e.find("4 names"), std::string::npos) << e;
  // A count line that disagrees with the rows is a truncated file.
  std::string p00 = EcoChemieP00(s);
  p00.erase(p00.rfind('\n', p00.size() - 2) + 1);  // drop the last row
  const std::string t = ErrorOf(p00, "cut.P00");
  EXPECT_NE(t.find("cut.P00"), std::string::npos) << t;
  EXPECT_NE(t.find("count"), std::string::npos) << t;
}

}  // namespace
}  // namespace edopt
