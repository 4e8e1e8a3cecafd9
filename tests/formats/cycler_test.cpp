// Cycler exports (issue 37): rate tests simulated by the model at known C-rates, written in each
// instrument's layout (rest, constant-current lithiation to the cutoff, a CV tail, a charge back)
// and read back: every lithiation segment becomes a lab-table row with the simulated C-rate and
// utilization. Column names and sign conventions from the open readers cellpy, PyProBE and beep.
#include "formats/cycler.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <functional>
#include <sstream>

#include "../models/test_parameters.h"
#include "models/cell_model.h"
#include "models/composition.h"
#include "models/errors.h"

namespace edopt {
namespace {

constexpr double kArea = 1.327e-4;  // m2, the seed's 13 mm die

struct Step {
  long step, cycle;
  double current_A;
  std::vector<std::pair<double, double>> tv;  // time from the step start, voltage
};

struct Truth {
  std::vector<double> c_rate, utilization;
  std::vector<Step> steps;
};

// A test of two rates: per rate a rest, the lithiation to the cutoff (the model's curve, a
// record every 1/100 of its duration and at its end), a short CV tail, a charge back.
Truth Simulated(const Design& design) {
  const CellModel cell(testing::CalibratedSeedParameters());
  const double q_C = SummarizeDesign(cell.parameters().materials, cell.parameters().packing, design)
                         .theoretical_capacity_C_m2 *
                     kArea;
  Truth t;
  long step = 1;
  for (const double rate : {0.1, 0.3}) {
    SimulationOptions o;
    o.record_curve = true;
    const DischargeResult r = cell.Simulate(design, rate, o);
    t.c_rate.push_back(rate);
    t.utilization.push_back(r.utilization);
    const double i = -rate * q_C / 3600.0;
    t.steps.push_back({step++, 1, 0.0, {{0, 0.9}, {60, 0.9}, {120, 0.9}}});
    Step cc{step++, 1, i, {}};
    for (int k = 0; k <= 100; ++k) {
      const double time = r.end_time_s * k / 100.0;
      double v = r.curve.back().voltage_V;
      for (size_t j = 1; j < r.curve.size(); ++j) {
        if (r.curve[j].time_s >= time) {
          v = r.curve[j].voltage_V;
          break;
        }
      }
      cc.tv.push_back({time, v});
    }
    t.steps.push_back(cc);
    // CV at the cutoff: the current decays (a different step in most schedules; here the same
    // step to test that the tail is cut off), then the charge back.
    Step cv = cc;
    t.steps.back().tv.push_back({r.end_time_s + 30, 0.0});
    t.steps.back().tv.push_back({r.end_time_s + 60, 0.0});
    (void)cv;
    t.steps.push_back({step++, 1, -i, {{0, 0.2}, {600, 0.5}, {1200, 0.8}}});
  }
  return t;
}

// Records of the truth: time, current, voltage, step, cycle; the CV tail's current decays.
void ForEachRecord(const Truth& t,
                   const std::function<void(double, double, double, long, long)>& put) {
  double t0 = 0.0;
  for (const auto& s : t.steps) {
    const double end = s.tv.size() > 2 && s.current_A < 0 ? s.tv[s.tv.size() - 3].first : 0.0;
    for (const auto& [time, v] : s.tv) {
      double current = s.current_A;
      if (s.current_A < 0 && time > end + 1e-9) current *= std::exp(-(time - end) / 20.0);
      put(t0 + time, current, v, s.step, s.cycle);
    }
    t0 += s.tv.back().first + 1.0;
  }
}

std::string Num(double v) {
  char b[64];
  std::snprintf(b, sizeof b, "%.10g", v);
  return b;
}

std::string Arbin(const Truth& t) {
  std::ostringstream os;
  os << "Data_Point,Test_Time(s),Date_Time,Step_Time(s),Step_Index,Cycle_Index,Current(A),"
        "Voltage(V),Charge_Capacity(Ah),Discharge_Capacity(Ah)\n";
  int n = 0;
  ForEachRecord(t, [&](double time, double i, double v, long step, long cycle) {
    os << ++n << ',' << Num(time) << ",2024-01-01 00:00:00,0," << step << ',' << cycle << ','
       << Num(i) << ',' << Num(v) << ",0,0\n";
  });
  return os.str();
}

std::string Biologic(const Truth& t) {
  std::ostringstream os;
  os << "EC-Lab ASCII FILE\nNb header lines : 4\n\nmode\tox/red\terror\tNs\ttime/s\tEwe/V\tI/mA\t"
        "cycle number\tQ charge/discharge/mA.h\n";
  ForEachRecord(t, [&](double time, double i, double v, long step, long cycle) {
    os << "1\t" << (i < 0 ? 0 : 1) << "\t0\t" << step - 1 << '\t' << Num(time) << '\t' << Num(v)
       << '\t' << Num(i * 1e3) << '\t' << cycle - 1 << "\t0\n";
  });
  return os.str();
}

std::string Maccor(const Truth& t) {
  std::ostringstream os;
  os << "Today's Date 01/02/2024  Date of Test: 01/01/2024  Filename: cell.001  Procedure: "
        "rate.000\n";
  os << "Rec#\tCyc#\tStep\tTest (Sec)\tStep (Sec)\tAmp-hr\tWatt-hr\tAmps\tVolts\tState\tES\t"
        "DPt Time\n";
  int n = 0;
  ForEachRecord(t, [&](double time, double i, double v, long step, long cycle) {
    os << ++n << '\t' << cycle << '\t' << step << '\t' << Num(time) << "\t0\t0\t0\t"
       << Num(std::abs(i)) << '\t' << Num(v) << '\t'
       << (i < 0   ? 'D'
           : i > 0 ? 'C'
                   : 'R')
       << "\t0\t01/01/2024 00:00:00\n";
  });
  return os.str();
}

// Neware (BTS export): step time as h:min:s.ms restarting each step, current in mA with its
// step type.
std::string Neware(const Truth& t) {
  std::ostringstream os;
  os << "Record ID,Realtime,Time(h:min:s.ms),Step ID,Cycle ID,Step Type,Current(mA),Voltage(V),"
        "Capacitance_Chg(mAh),Capacitance_DChg(mAh)\n";
  int n = 0;
  long last_step = -1;
  double step_start = 0;
  ForEachRecord(t, [&](double time, double i, double v, long step, long cycle) {
    if (step != last_step) {
      step_start = time;
      last_step = step;
    }
    const double s = time - step_start;
    char clock[64];
    std::snprintf(clock, sizeof clock, "%d:%02d:%06.3f", static_cast<int>(s / 3600),
                  static_cast<int>(std::fmod(s, 3600) / 60), std::fmod(s, 60.0));
    os << ++n << ",2024-01-01 00:00:00," << clock << ',' << step << ',' << cycle << ','
       << (i < 0   ? "CC_DChg"
           : i > 0 ? "CC_Chg"
                   : "Rest")
       << ',' << Num(std::abs(i) * 1e3) << ',' << Num(v) << ",0,0\n";
  });
  return os.str();
}

std::string Basytec(const Truth& t) {
  std::ostringstream os;
  os << "~Resultfile from BaSyTec Battery Test System\n~Start of Test: 01.01.2024 00:00:00\n"
     << "~Time[h]\tDataSet\tDate\tt-Step[h]\tLine\tCommand\tU[V]\tI[A]\tAh[Ah]\tCyc-Count\tState\n";
  int n = 0;
  ForEachRecord(t, [&](double time, double i, double v, long step, long cycle) {
    os << Num(time / 3600) << '\t' << ++n << "\t01.01.2024\t0\t" << step << '\t'
       << (i < 0   ? "Discharge"
           : i > 0 ? "Charge"
                   : "Pause")
       << '\t' << Num(v) << '\t' << Num(i) << "\t0\t" << cycle << "\t0\n";
  });
  return os.str();
}

TEST(CyclerFiles, EveryLayoutGivesTheSimulatedRateTests) {
  const Design design = ParseDesign("6:4@63");
  const Truth t = Simulated(design);
  const CellParameters cell = testing::CalibratedSeedParameters();
  const std::vector<std::pair<std::string, std::string>> files = {{"arbin", Arbin(t)},
                                                                  {"biologic-mpt", Biologic(t)},
                                                                  {"maccor", Maccor(t)},
                                                                  {"neware", Neware(t)},
                                                                  {"basytec", Basytec(t)}};
  for (const auto& [layout, text] : files) {
    SCOPED_TRACE(layout);
    const CyclerFile f = ParseCyclerText(text, "cell." + layout);
    EXPECT_EQ(ToString(f.layout), layout);
    std::vector<std::string> notes;
    const auto rows = CyclerRateTests(f, cell, design, kArea, 0.0, &notes);
    ASSERT_EQ(rows.size(), 2u);
    for (size_t k = 0; k < 2; ++k) {
      EXPECT_NEAR(rows[k].c_rate, t.c_rate[k], 1e-6 * t.c_rate[k]);
      // The records sample the constant current exactly: the integral is the model's charge.
      EXPECT_NEAR(rows[k].measured_utilization, t.utilization[k], 2e-4);
      EXPECT_EQ(rows[k].origin.rfind("cell." + layout + ":", 0), 0u) << rows[k].origin;
    }
  }
}

TEST(CyclerFiles, UnknownLayoutsAndBadValuesAreNamed) {
  auto error = [](const std::string& text) {
    try {
      const CyclerFile f = ParseCyclerText(text, "x.csv");
      CyclerRateTests(f, testing::CalibratedSeedParameters(), ParseDesign("6:4@63"), kArea, 0.0,
                      nullptr);
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(error("a,b,c\n1,2,3\n").find("not a cycler export"), std::string::npos);
  const std::string arbin = Arbin(Simulated(ParseDesign("6:4@63")));
  // Without the current column: the layout's expected columns are named.
  std::string no_current = arbin;
  no_current.replace(no_current.find("Current(A)"), 10, "Amperes");
  EXPECT_NE(error(no_current).find("expected Test_Time(s), Current(A)"), std::string::npos)
      << error(no_current);
  std::string bad = arbin;
  bad.replace(bad.find(",2024-01-01"), 1, ",x,");
  EXPECT_NE(error(bad).find("x.csv:"), std::string::npos);
  // A wrong area makes the cell deliver more than it holds.
  const CyclerFile f = ParseCyclerText(arbin, "x.csv");
  EXPECT_THROW(CyclerRateTests(f, testing::CalibratedSeedParameters(), ParseDesign("6:4@63"),
                               kArea / 3, 0.0, nullptr),
               InputError);
}

}  // namespace
}  // namespace edopt
