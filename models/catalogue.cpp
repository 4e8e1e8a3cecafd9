#include "models/catalogue.h"

#include <algorithm>

#include "models/materials.h"
#include "models/ocp.h"
#include "models/units.h"

namespace edopt {

namespace {

using P = CellParameters;
using CP = CellParameter;

CP Number(std::string key, std::string unit, std::string doc, FieldOf<P> field, ValueRange range,
          double scale = 1.0, double offset = 0.0) {
  CP p = NumberParameter<P>(std::move(key), std::move(unit), std::move(doc), std::move(field),
                            range, scale, offset);
  p.acts_on_cell = true;
  return p;
}

CP Integer(std::string key, std::string doc, std::function<int&(P&)> field, int lo, int hi) {
  CP p = IntegerParameter<P>(std::move(key), std::move(doc), std::move(field), lo, hi);
  p.acts_on_cell = true;
  return p;
}

CP WithPrior(CP p, PriorKind kind, double a, double b, std::string source) {
  p.prior = {kind, a, b, std::move(source)};
  return p;
}

CP Fittable(CP p, double lower, double upper, bool log_scale) {
  p.fit = {true, lower, upper, log_scale};
  return p;
}

CP Calibrated(CP p) {
  p.calibrated = true;
  return p;
}

CP Choice(std::string key, std::string doc, std::vector<std::string> choices,
          std::function<std::string(const P&)> get,
          std::function<void(P&, const std::string&)> set) {
  CP p = TextParameter<P>(std::move(key), std::move(doc), ValueKind::kChoice, std::move(get),
                          std::move(set));
  p.choices = std::move(choices);
  p.acts_on_cell = true;
  return p;
}

// Sources of the priors (docs/physics.md §9 gives them in full).
const char* kSeDensity = "beta-Li3PS4 .. Li7P3S11 from lattice parameters";
const char* kRadius = "natural graphite D50 10-20 um; PyBaMM sets 5.9-13.7 um";
const char* kSeRadius =
    "sulfide SE powders D50 0.5-10 um: milled or wet-synthesized argyrodite 1-2 um, as-received "
    "3-10 um (Shi 2020, Schlautmann 2023)";
const char* kSizeExponent =
    "1 in the closed form of Bertei & Nicolella 2011 (rigid spheres); a free exponent absorbs "
    "deformable, non-spherical SE (fit to sweeps at two SE sizes)";
const char* kSizeRatio =
    "D50 ratio of the powders the threshold was measured with (NCM ~10 um, argyrodite ~3-10 um)";
const char* kSpread = "natural graphite D10-D90 about 5-30 um (D90/D10 3-8)";
const char* kPercolation =
    "spread of sulfide composite sweeps: Minnmann 2021, Froboese 2019, Kato 2018, Bielefeld 2019";
const char* kDiscrepancy = "model discrepancy: blocking-cell resistivity vs discharge transport";
const char* kSeEa = "Mizuno 2006 (12 kJ/mol), Seino 2014 (17), Li3PS4 (~39)";
const char* kSeKappa = "Mizuno 2006 (3.2e-3 S/cm), Seino 2014 (1.7e-2 S/cm)";
const char* kDs = "Chen2020, Dualfoil/Marquis2019, Ecker2015 (liquid-electrolyte sets)";
const char* kDsEa = "graphite, 30-43 kJ/mol (same sets)";
const char* kI0 = "Chen2020, Dualfoil, Ecker2015 (liquid-electrolyte sets)";
const char* kI0Ea = "graphite/LPS interfacial transfer, about 37 kJ/mol";
const char* kElectronicThreshold =
    "Scher & Zallen 1970 (critical volume fraction ~0.16, 3D); 0.29 for equal spheres";
const char* kElectronicExponent = "3D conductivity exponent ~2.0 (Stauffer & Aharony 1994)";
const char* kSeparator = "Li/SE interface about 20 Ohm cm2 at 25 C (molel-gt/ssb)";
const char* kLithium =
    "12.6 A/m2 in molel-gt/ssb; Li|sulfide interfaces 10-1000 Ohm cm2 at 25 C (0.03-3 A/m2)";

// A preset key: its setter applies the named material's values (models/materials.h).
CP Preset(std::string key, std::string doc, const std::vector<MaterialPreset>& list,
          std::string what, std::function<std::string&(P&)> field) {
  std::vector<std::string> names;
  for (const auto& m : list) {
    names.push_back(m.name);
    doc += "; " + m.name + ": " + m.description;
  }
  CP p = Choice(
      std::move(key), std::move(doc), names,
      [field](const P& cell) { return field(const_cast<P&>(cell)); },
      [&list, what, field](P& cell, const std::string& raw) {
        const MaterialPreset& m = FindMaterial(list, Trim(raw), what);
        m.apply(cell);
        field(cell) = m.name;
      });
  p.preset = true;
  return p;
}

std::vector<CP> Materials() {
  std::vector<CP> k;
  k.push_back(Preset(
      "materials.active_material",
      "active material preset (docs/physics.md §13): sets its density, capacity and window, "
      "OCP, radius, D_s, i0, electronic conductivity and cutoff; keys the scenario sets override",
      ActiveMaterials(), "an active material",
      [](P& p) -> std::string& { return p.materials.active_material; }));
  k.push_back(
      Preset("materials.electrolyte",
             "solid electrolyte preset: sets its density, conductivity and activation energy",
             Electrolytes(), "a solid electrolyte",
             [](P& p) -> std::string& { return p.materials.electrolyte; }));
  k.push_back(WithPrior(
      Number(
          "materials.active_density_g_cm3", "g/cm3", "active material (natural graphite) density",
          [](P& p) -> double& { return p.materials.active_density_kg_m3; }, Between(0.5, 10), 1e3),
      PriorKind::kNormal, 2.26, 0.01, "graphite crystal density"));
  k.push_back(WithPrior(
      Number(
          "materials.se_density_g_cm3", "g/cm3", "LPS solid electrolyte density",
          [](P& p) -> double& { return p.materials.se_density_kg_m3; }, Between(0.5, 10), 1e3),
      PriorKind::kUniform, 1.85, 1.98, kSeDensity));
  k.push_back(Number(
      "materials.active_specific_capacity_mAh_g", "mAh/g",
      "active material capacity over its stoichiometry window (372 for LiC6)",
      [](P& p) -> double& { return p.materials.active_specific_capacity_C_kg; }, Between(50, 500),
      3.6e3));
  k.push_back(Number(
      "materials.capacity_stoichiometry_span", "",
      "the stoichiometry range the specific capacity fills (1 = x 0..1, graphite; a cathode's "
      "cycling window, e.g. 0.74 for NCM811 from x = 0.26)",
      [](P& p) -> double& { return p.materials.capacity_stoichiometry_span; }, Between(0.05, 1)));
  k.push_back(Number(
      "materials.carbon_density_g_cm3", "g/cm3", "carbon additive density (fibres, carbon black)",
      [](P& p) -> double& { return p.materials.carbon_density_kg_m3; }, Between(0.5, 10), 1e3));
  k.push_back(Calibrated(
      Fittable(WithPrior(Number(
                             "materials.particle_radius_um", "um", "NG particle radius",
                             [](P& p) -> double& { return p.materials.particle_radius_m; },
                             Between(0.01, 100), 1e-6),
                         PriorKind::kLogUniform, 5.0, 13.7, kRadius),
               1, 25, true)));
  k.push_back(WithPrior(
      Number(
          "materials.se_particle_radius_um", "um",
          "SE particle radius (its D50 / 2); 0 = not given (the composition laws hold as "
          "measured, no packing statistics; docs/physics.md 3b)",
          [](P& p) -> double& { return p.materials.se_particle_radius_m; }, Between(0, 100), 1e-6),
      PriorKind::kLogUniform, 0.25, 5.0, kSeRadius));
  k.push_back(Calibrated(
      Fittable(WithPrior(Number(
                             "materials.particle_radius_spread", "",
                             "lognormal log-spread sigma of the volume-weighted NG radius "
                             "distribution (D90/D10 = exp(2.563 sigma)); 0 = monodisperse",
                             [](P& p) -> double& { return p.materials.particle_radius_spread; },
                             Between(0.0, 1.5)),
                         PriorKind::kUniform, 0.4, 0.8, kSpread),
               0.0, 1.2, false)));
  k.push_back(Integer(
      "materials.particle_size_classes",
      "size classes resolving the radius distribution (Gauss-Hermite); "
      "1 = monodisperse",
      [](P& p) -> int& { return p.materials.particle_size_classes; }, 1, 16));
  std::vector<std::string> ocp_names = BuiltinOcpNames();
  ocp_names.push_back("table");
  k.push_back(Choice(
      "materials.ocp",
      "OCP of the active material: graphite Chen2020, Ecker2015, DualfoilMCMB, Verbrugge2017 "
      "(MSMR); NCM811_Chen2020, NCM622_Verbrugge2017 (MSMR); or table",
      ocp_names, [](const P& p) { return p.materials.ocp_model; },
      [ocp_names](P& p, const std::string& raw) {
        const std::string text = Trim(raw);
        if (std::find(ocp_names.begin(), ocp_names.end(), text) == ocp_names.end()) {
          std::string expected;
          for (const auto& name : ocp_names) expected += (expected.empty() ? "" : ", ") + name;
          throw ConfigError("'" + text + "' is not an OCP curve; expected one of " + expected);
        }
        p.materials.ocp_model = text;
      }));
  return k;
}

std::vector<CP> Electrode() {
  std::vector<CP> k;
  k.push_back(Number(
      "electrode.porosity", "",
      "porosity of the pressed composite, used when apparent_density_g_cm3 = 0",
      [](P& p) -> double& { return p.packing.porosity; }, Between(0, 0.9)));
  k.push_back(Number(
      "electrode.apparent_density_g_cm3", "g/cm3",
      "apparent density from loading/thickness; 0 = from porosity",
      [](P& p) -> double& { return p.packing.apparent_density_kg_m3; }, Between(0, 10), 1e3));
  CP dense = BooleanParameter<P>(
      "electrode.dense_pellet_expected",
      "the apparent density may exceed the dense-mixture density (porosity clamped at 0 "
      "without a warning)",
      [](P& p) -> bool& { return p.packing.dense_pellet_expected; });
  dense.acts_on_cell = true;
  k.push_back(dense);
  k.push_back(Calibrated(Fittable(
      Number(
          "electrode.contact_area_factor", "", "multiplies the NG/SE interface area 3 eps/R",
          [](P& p) -> double& { return p.packing.contact_area_factor; }, Between(1e-3, 10)),
      0.02, 1, true)));
  return k;
}

// The composition law kappa_eff(phi_SE) / kappa(phi_ref) and its parameters (docs/physics.md §3).
std::vector<CP> CompositionLaw() {
  std::vector<CP> k;
  k.push_back(Choice(
      "transport.conductivity_law", "kappa_eff(phi_SE) law: percolation or power_law",
      {"percolation", "power_law"},
      [](const P& p) { return std::string(ToString(p.transport.law)); },
      [](P& p, const std::string& raw) {
        p.transport.law = ConductivityLawFromString(Trim(raw));
      }));
  // The composition law's priors span the published sulfide composite sweeps (docs/physics.md
  // §9); their fit boxes are the priors' ranges, so a posterior stays inside what was published.
  k.push_back(Calibrated(Fittable(
      WithPrior(
          Number(
              "transport.percolation_threshold", "", "phi_c of the percolation law",
              [](P& p) -> double& { return p.transport.percolation_threshold; }, Between(0, 0.6)),
          PriorKind::kUniform, 0.08, 0.30, kPercolation),
      0.08, 0.30, false)));
  k.push_back(Calibrated(Fittable(
      WithPrior(
          Number(
              "transport.percolation_exponent", "", "t of the percolation law",
              [](P& p) -> double& { return p.transport.percolation_exponent; }, Between(0.5, 5)),
          PriorKind::kUniform, 1.3, 3.0, kPercolation),
      1.3, 3.0, false)));
  k.push_back(WithPrior(
      Number(
          "transport.percolation_size_ratio", "",
          "D50_active / D50_SE of the powders the thresholds were measured with; 0 = the "
          "scenario's own (thresholds do not move with the particle sizes)",
          [](P& p) -> double& { return p.transport.percolation_size_ratio; }, Between(0, 1000)),
      PriorKind::kLogUniform, 1.0, 4.0, kSizeRatio));
  k.push_back(Calibrated(Fittable(
      WithPrior(
          Number(
              "transport.percolation_size_exponent", "",
              "beta: the thresholds' odds scale as (size ratio)^beta",
              [](P& p) -> double& { return p.transport.percolation_size_exponent; }, Between(0, 3)),
          PriorKind::kUniform, 0.5, 1.5, kSizeExponent),
      0.3, 2.0, false)));
  k.push_back(Calibrated(Fittable(
      WithPrior(
          Number(
              "transport.power_law_exponent", "", "p of the power law f = phi^p",
              [](P& p) -> double& { return p.transport.power_law_exponent; }, Between(0.5, 5)),
          PriorKind::kUniform, 1.5, 3.2, "Bruggeman spheres 1.5; sulfide composites 2.8-3.2"),
      1.5, 3.2, false)));
  return k;
}

std::vector<CP> Transport() {
  std::vector<CP> k = CompositionLaw();
  k.push_back(Calibrated(Fittable(
      Number(
          "transport.reference_resistivity_ohm_m", "Ohm m",
          "composite ionic resistivity at reference_active_weight_fraction and the reference "
          "temperature (TLM, per electrode); 0 = use se_conductivity_S_cm",
          [](P& p) -> double& { return p.transport.reference_resistivity_ohm_m; }, Between(0, 1e6)),
      10, 1e5, true)));
  k.push_back(Number(
      "transport.reference_active_weight_fraction", "", "NG weight fraction of that composite",
      [](P& p) -> double& { return p.transport.reference_active_weight_fraction; },
      Between(0.01, 0.99)));
  k.push_back(Calibrated(WithPrior(
      Number(
          "transport.se_conductivity_S_cm", "S/cm",
          "pure SE pellet conductivity at the reference temperature",
          [](P& p) -> double& { return p.transport.se_conductivity_S_m; }, Between(1e-7, 1), 100.0),
      PriorKind::kLogUniform, 3.2e-3, 1.7e-2, kSeKappa)));
  k.push_back(Calibrated(Fittable(
      WithPrior(
          Number(
              "transport.activation_energy_kJ_mol", "kJ/mol", "SE conductivity activation energy",
              [](P& p) -> double& { return p.transport.activation_energy_J_mol; }, Between(0, 100),
              1e3),
          PriorKind::kUniform, 12, 38, kSeEa),
      5, 60, false)));
  k.push_back(Fittable(
      Number(
          "transport.resistivity_factor", "", "multiplies the composite ionic resistivity",
          [](P& p) -> double& { return p.transport.resistivity_factor; }, Between(1e-6, 1e3)),
      0.1, 10, true));
  k.push_back(Fittable(
      WithPrior(Number("transport.resistivity_factor_exponent", "",
                       "gamma: discharge transport scales as resistivity_factor^gamma (1 = as "
                       "the blocking cell says; uncertain away from the calibrated resistivity)",
                       [](P& p) -> double& { return p.transport.resistivity_factor_exponent; },
                       {0.0, 3.0, true, false}),
                PriorKind::kNormal, 1.0, 0.25, kDiscrepancy),
      0.3, 1.7, false));
  k.push_back(Number(
      "transport.conductivity_floor_fraction", "", "f below the percolation threshold",
      [](P& p) -> double& { return p.transport.conductivity_floor_fraction; },
      Between(1e-12, 1e-2)));
  k.push_back(Number(
      "transport.electronic_conductivity_S_cm", "S/cm",
      "electronic conductivity of a dense compact of the active material (the network's "
      "sigma; graphite or NCM); 0 = off: uniform solid potential",
      [](P& p) -> double& { return p.transport.electronic_conductivity_S_m; }, Between(0, 1e6),
      100.0));
  k.push_back(
      WithPrior(Number(
                    "transport.electronic_percolation_threshold", "",
                    "NG volume fraction where the graphite network stops conducting",
                    [](P& p) -> double& { return p.transport.electronic_percolation_threshold; },
                    Between(0, 0.6)),
                PriorKind::kUniform, 0.1, 0.3, kElectronicThreshold));
  k.push_back(
      WithPrior(Number(
                    "transport.electronic_percolation_exponent", "",
                    "t of the graphite network's percolation law",
                    [](P& p) -> double& { return p.transport.electronic_percolation_exponent; },
                    Between(0.5, 5)),
                PriorKind::kNormal, 2.0, 0.2, kElectronicExponent));
  k.push_back(Number(
      "transport.carbon_conductivity_S_cm", "S/cm",
      "carbon additive's network conductivity when dense (in parallel with the active "
      "material's; read only with electronic_conductivity_S_cm > 0)",
      [](P& p) -> double& { return p.transport.carbon_conductivity_S_m; }, Between(0, 1e6), 100.0));
  k.push_back(Number(
      "transport.carbon_percolation_threshold", "",
      "carbon volume fraction where its network starts to conduct (fibres ~0.01)",
      [](P& p) -> double& { return p.transport.carbon_percolation_threshold; }, Between(0, 0.6)));
  k.push_back(Number(
      "transport.carbon_percolation_exponent", "", "t of the carbon network's percolation law",
      [](P& p) -> double& { return p.transport.carbon_percolation_exponent; }, Between(0.5, 5)));
  return k;
}

std::vector<CP> Kinetics() {
  std::vector<CP> k;
  k.push_back(Calibrated(Fittable(
      WithPrior(
          Number(
              "kinetics.exchange_current_A_m2", "A/m2",
              "NG/SE exchange current density at theta = 0.5, reference temperature",
              [](P& p) -> double& { return p.kinetics.exchange_current_A_m2; }, Between(1e-3, 30)),
          PriorKind::kLogUniform, 0.3, 8, kI0),
      0.1, 10, true)));
  k.push_back(Fittable(WithPrior(Number(
                                     "kinetics.exchange_current_activation_energy_kJ_mol", "kJ/mol",
                                     "activation energy of the exchange current",
                                     [](P& p) -> double& {
                                       return p.kinetics.exchange_current_activation_energy_J_mol;
                                     },
                                     Between(0, 80), 1e3),
                                 PriorKind::kNormal, 37, 5, kI0Ea),
                       10, 80, false));
  k.push_back(Number(
      "kinetics.alpha_anodic", "", "anodic transfer coefficient",
      [](P& p) -> double& { return p.kinetics.alpha_anodic; }, Between(0.1, 0.9)));
  k.push_back(Number(
      "kinetics.alpha_cathodic", "", "cathodic transfer coefficient",
      [](P& p) -> double& { return p.kinetics.alpha_cathodic; }, Between(0.1, 0.9)));
  k.push_back(Calibrated(
      Fittable(WithPrior(Number(
                             "kinetics.solid_diffusivity_m2_s", "m2/s",
                             "graphite D_s at the reference temperature",
                             [](P& p) -> double& { return p.kinetics.solid_diffusivity_m2_s; },
                             Between(5e-17, 1e-8)),
                         PriorKind::kLogUniform, 3.3e-14, 3.9e-14, kDs),
               1e-16, 1e-12, true)));
  k.push_back(Choice(
      "kinetics.solid_diffusivity_law",
      "D_s versus stoichiometry: constant, or Ecker2015 (graphite, scaled to D_s at x = 0.5)",
      {"constant", "Ecker2015"},
      [](const P& p) { return std::string(ToString(p.kinetics.diffusivity_law)); },
      [](P& p, const std::string& raw) {
        const std::string text = Trim(raw);
        if (text == "constant") {
          p.kinetics.diffusivity_law = DiffusivityLaw::kConstant;
        } else if (text == "Ecker2015") {
          p.kinetics.diffusivity_law = DiffusivityLaw::kEcker2015;
        } else {
          throw ConfigError("'" + text +
                            "' is not a diffusivity law; expected constant or Ecker2015");
        }
      }));
  k.push_back(Fittable(WithPrior(Number(
                                     "kinetics.solid_diffusivity_activation_energy_kJ_mol",
                                     "kJ/mol", "activation energy of D_s",
                                     [](P& p) -> double& {
                                       return p.kinetics.solid_diffusivity_activation_energy_J_mol;
                                     },
                                     Between(0, 150), 1e3),
                                 PriorKind::kUniform, 30, 43, kDsEa),
                       10, 70, false));
  return k;
}

// The interfaces in series with the electrode's reaction: separator and Li, graphite|LPS film.
std::vector<CP> Interfaces() {
  std::vector<CP> k;
  k.push_back(Calibrated(
      Fittable(WithPrior(Number(
                             "kinetics.separator_resistance_ohm_cm2", "Ohm cm2",
                             "separator + Li/SE interface ASR at the reference temperature",
                             [](P& p) -> double& { return p.kinetics.separator_resistance_ohm_m2; },
                             Between(0, 1e4), 1e-4),
                         PriorKind::kLogNormal, 20, 0.7, kSeparator),
               5, 200, true)));
  k.push_back(Number(
      "kinetics.separator_activation_energy_kJ_mol", "kJ/mol",
      "activation energy of the separator ASR (also scales the Li exchange current)",
      [](P& p) -> double& { return p.kinetics.separator_activation_energy_J_mol; }, Between(0, 150),
      1e3));
  k.push_back(Calibrated(Fittable(
      Number(
          "kinetics.film_resistance_ohm_cm2", "Ohm cm2",
          "graphite|LPS film/contact resistance per unit of active area, in series with "
          "Butler-Volmer, at the reference temperature (scaled like i0); 0 = off",
          [](P& p) -> double& { return p.kinetics.film_resistance_ohm_m2; }, Between(0, 1e4), 1e-4),
      0.1, 1000, true)));
  k.push_back(Calibrated(Fittable(
      WithPrior(Number(
                    "kinetics.lithium_exchange_current_A_m2", "A/m2",
                    "Butler-Volmer at the Li metal counter electrode (stripping during "
                    "lithiation), at the reference temperature, scaled with the separator's "
                    "activation energy; 0 = off",
                    [](P& p) -> double& { return p.kinetics.lithium_exchange_current_A_m2; },
                    Between(0, 1e4)),
                PriorKind::kLogUniform, 0.1, 20.0, kLithium),
      0.01, 100, true)));
  return k;
}

std::vector<CP> Test() {
  std::vector<CP> k;
  k.push_back(Number(
      "test.temperature_C", "C", "cycling temperature",
      [](P& p) -> double& { return p.protocol.temperature_K; }, Between(-50, 150), 1.0,
      kZeroCelsius_K));
  k.push_back(Number(
      "test.reference_temperature_C", "C", "temperature of EIS and the priors",
      [](P& p) -> double& { return p.protocol.reference_temperature_K; }, Between(-50, 150), 1.0,
      kZeroCelsius_K));
  k.push_back(Number(
      "test.cutoff_voltage_V", "V",
      "lithiation (cathode: discharge) cutoff vs the counter electrode; at least the OCP's lowest "
      "value over the discharge less 1 V",
      [](P& p) -> double& { return p.protocol.cutoff_voltage_V; }, Between(-1, 5)));
  k.push_back(Number(
      "test.initial_stoichiometry", "", "delithiated start (a cathode's charged state)",
      [](P& p) -> double& { return p.protocol.initial_stoichiometry; }, Between(1e-3, 0.5)));
  k.push_back(Number(
      "test.counter_electrode_potential_V", "V",
      "counter electrode vs Li/Li+: 0 = Li metal, 0.62 = Li-In alloy; voltages are against it",
      [](P& p) -> double& { return p.protocol.counter_electrode_potential_V; }, Between(0, 3)));
  k.push_back(Number(
      "test.max_duration_factor", "", "stop after this many nominal 1/C hours",
      [](P& p) -> double& { return p.protocol.max_duration_factor; }, Between(1, 100)));
  return k;
}

std::vector<CP> Numerics() {
  std::vector<CP> k;
  k.push_back(Number(
      "numerics.refinement", "",
      "multiplies every mesh resolution and divides every step tolerance",
      [](P& p) -> double& { return p.numerics.refinement; }, Between(1, 8)));
  k.push_back(Number(
      "numerics.cell_size_um", "um", "largest finite-volume size across the electrode",
      [](P& p) -> double& { return p.numerics.cell_size_m; }, Between(0.1, 100), 1e-6));
  k.push_back(Number("numerics.cells_per_ohmic_length", "",
                     "finite volumes per ohmic length kappa_eff RT/(F I) of a layer",
                     [](P& p) -> double& { return p.numerics.cells_per_ohmic_length; },
                     {0, 100, true, false}));
  k.push_back(Integer(
      "numerics.min_cells_per_layer", "finite volumes per layer, at least",
      [](P& p) -> int& { return p.numerics.min_cells_per_layer; }, 1, 1000));
  k.push_back(Integer(
      "numerics.particle_shells", "radial finite volumes per particle",
      [](P& p) -> int& { return p.numerics.particle_shells; }, 4, 100));
  CP adaptive = BooleanParameter<P>(
      "numerics.adaptive_mesh",
      "solve neighbouring cells as one block while the electrolyte current through them and "
      "their states allow it (false: the base mesh throughout)",
      [](P& p) -> bool& { return p.numerics.adaptive_mesh; });
  adaptive.acts_on_cell = true;
  k.push_back(adaptive);
  k.push_back(Number("numerics.stoichiometry_error_tolerance", "",
                     "time-step control: local error of the cells' mean stoichiometry per step",
                     [](P& p) -> double& { return p.numerics.stoichiometry_error_tolerance; },
                     {0, 0.1, true, false}));
  k.push_back(Number(
      "numerics.max_surface_stoichiometry_step", "",
      "time-step control: largest surface stoichiometry change per step",
      [](P& p) -> double& { return p.numerics.max_surface_stoichiometry_step; },
      Between(1e-3, 0.5)));
  k.push_back(Number(
      "numerics.max_voltage_step_V", "V", "time-step control: largest voltage change per step",
      [](P& p) -> double& { return p.numerics.max_voltage_step_V; }, Between(1e-3, 1)));
  k.push_back(Number(
      "numerics.newton_tolerance_V", "V", "largest full Newton update accepted as converged",
      [](P& p) -> double& { return p.numerics.newton_tolerance_V; }, {0, 1e-3, true, false}));
  return k;
}

std::vector<CP> MakeCatalogue() {
  std::vector<CP> all;
  for (auto part :
       {Materials(), Electrode(), Transport(), Kinetics(), Interfaces(), Test(), Numerics()}) {
    for (auto& p : part) all.push_back(std::move(p));
  }
  return all;
}

}  // namespace

const std::vector<CellParameter>& CellCatalogue() {
  static const std::vector<CellParameter> catalogue = MakeCatalogue();
  return catalogue;
}

const CellParameter* FindCellParameter(const std::string& key) {
  return FindParameter(CellCatalogue(), key);
}

const CellParameter& CellParameterOrThrow(const std::string& key, const std::string& where) {
  if (const auto* p = FindCellParameter(key)) return *p;
  std::vector<std::string> keys;
  for (const auto& p : CellCatalogue()) keys.push_back(p.key);
  throw ConfigError((where.empty() ? "" : where + " ") + "'" + key +
                    "' is not a parameter of the cell model; did you mean '" +
                    NearestKey(key, keys) + "'? (`edopt scenario` lists every key)");
}

std::vector<const CellParameter*> FittableCellParameters() {
  std::vector<const CellParameter*> out;
  for (const auto& p : CellCatalogue()) {
    if (p.fit.fittable) out.push_back(&p);
  }
  return out;
}

std::vector<std::string> ScreenedKeys(const CellParameters& cell) {
  const bool percolation = cell.transport.law == ConductivityLawKind::kPercolation;
  const bool measured = cell.transport.reference_resistivity_ohm_m > 0;
  std::vector<std::string> keys;
  for (const auto& p : CellCatalogue()) {
    if (!p.calibrated) continue;
    if (p.key.rfind("transport.percolation_", 0) == 0 && !percolation) continue;
    if (p.key == "transport.power_law_exponent" && percolation) continue;
    // The size exponent acts only where the thresholds move with the sizes.
    if ((p.key == "transport.percolation_size_exponent" ||
         p.key == "transport.electronic_percolation_size_exponent") &&
        !(cell.transport.percolation_size_ratio > 0 && cell.materials.se_particle_radius_m > 0))
      continue;
    if (p.key == "transport.reference_resistivity_ohm_m" && !measured) continue;
    if (p.key == "transport.se_conductivity_S_cm" && measured) continue;
    if (p.numeric() && p.value(cell) == 0) continue;  // switched off: scaling 0 moves nothing
    // A spread resolved by one class is not used.
    if (p.key == "materials.particle_radius_spread" && cell.materials.particle_size_classes == 1)
      continue;
    keys.push_back(p.key);
  }
  return keys;
}

// CellParameters::Validate lives beside the ranges it checks (one catalogue; and so
// parameters does not include this file's header, which includes it).
void CellParameters::Validate() const {
  // Every field's range lives in the catalogue (docs/architecture.md, "one catalogue").
  CheckRanges(CellCatalogue(), *this, "cell parameters");
  const double lowest = OcpLowestStart(materials.ocp_model);
  if (protocol.initial_stoichiometry < lowest) {
    throw ConfigError(
        "test.initial_stoichiometry = " + FormatScenarioNumber(protocol.initial_stoichiometry) +
        " is below the window of materials.ocp = " + materials.ocp_model + " (from " +
        FormatScenarioNumber(lowest) +
        "); a cathode starts charged: set materials.active_material or "
        "test.initial_stoichiometry");
  }
  // A preset's material with another material's curve (NCM811 on a graphite OCP starts at
  // 0.43 V): the curve must be the material's kind; "custom" takes any curve, and a table is
  // the user's own.
  const bool cathode_curve = materials.ocp_model.rfind("NCM", 0) == 0;
  const bool cathode_material = materials.active_material.rfind("NCM", 0) == 0;
  if (materials.active_material != "custom" && materials.ocp_model != "table" &&
      cathode_curve != cathode_material) {
    throw ConfigError("materials.ocp = " + materials.ocp_model + " is " +
                      (cathode_curve ? "a cathode (NCM) curve" : "a graphite curve") +
                      " but materials.active_material = " + materials.active_material +
                      "; choose a curve of that material, or materials.active_material = custom");
  }
  // The discharge runs from x0 to full lithiation (x = 1) while utilization counts the span: a
  // window ending before x = 1 would deliver more than the practical capacity (utilization
  // above 1).
  const double window_end = protocol.initial_stoichiometry + materials.capacity_stoichiometry_span;
  if (window_end < 1.0 - 1e-9) {
    throw ConfigError(
        "test.initial_stoichiometry + materials.capacity_stoichiometry_span = " +
        FormatScenarioNumber(protocol.initial_stoichiometry) + " + " +
        FormatScenarioNumber(materials.capacity_stoichiometry_span) + " = " +
        FormatScenarioNumber(window_end) +
        " ends before full lithiation (x = 1), where the discharge ends: the electrode would "
        "deliver more than its practical capacity; expected a sum >= 1 (e.g. "
        "materials.capacity_stoichiometry_span = " +
        FormatScenarioNumber(1.0 - protocol.initial_stoichiometry) + ")");
  }
  const double lowest_cutoff = LowestCutoff_V();
  if (protocol.cutoff_voltage_V < lowest_cutoff) {
    throw ConfigError(
        "test.cutoff_voltage_V = " + FormatScenarioNumber(protocol.cutoff_voltage_V) +
        " is more than 1 V below the lowest OCP of materials.ocp = " + materials.ocp_model +
        " over the discharge; expected >= " + FormatScenarioNumber(lowest_cutoff) +
        " V (vs the counter electrode, test.counter_electrode_potential_V)");
  }
}

}  // namespace edopt
