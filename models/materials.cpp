#include "models/materials.h"

#include "models/errors.h"

namespace edopt {

namespace {

// Graphite: the defaults of CellParameters for every value an NCM preset sets, so switching the
// active material back restores them.
void ApplyGraphite(CellParameters& p) {
  const CellParameters d;
  p.materials.active_density_kg_m3 = d.materials.active_density_kg_m3;
  p.materials.active_specific_capacity_C_kg = d.materials.active_specific_capacity_C_kg;
  p.materials.capacity_stoichiometry_span = d.materials.capacity_stoichiometry_span;
  p.materials.particle_radius_m = d.materials.particle_radius_m;
  p.materials.ocp_model = d.materials.ocp_model;
  p.protocol.initial_stoichiometry = d.protocol.initial_stoichiometry;
  p.protocol.cutoff_voltage_V = d.protocol.cutoff_voltage_V;
  p.kinetics.solid_diffusivity_m2_s = d.kinetics.solid_diffusivity_m2_s;
  p.kinetics.diffusivity_law = d.kinetics.diffusivity_law;
  p.kinetics.exchange_current_A_m2 = d.kinetics.exchange_current_A_m2;
  p.transport.electronic_conductivity_S_m = d.transport.electronic_conductivity_S_m;
}

// Layered oxides: LiMO2 has F / M_r of capacity per unit of x (275.5 mAh/g for NCM811,
// M_r = 97.28 g/mol). The cycling window starts at the stoichiometry of the OCP at 4.3 V vs Li
// (the usual upper cutoff of NCM|sulfide half cells, 3.68 V vs Li-In) and ends at x = 1, where
// the rate law's sqrt(x (1 - x)) stops the reaction; the practical capacity fills it.
// The electronic model is on: NCM conducts from ~1e-7 S/cm lithiated to ~1e-2 S/cm charged
// (NMC333/532, Amin & Chiang, J. Electrochem. Soc. 163, A1512, 2016), too little to leave out;
// the preset's 1e-2 S/cm is the charged-state value, held constant in x (optimistic near the
// end of discharge, docs/physics.md §13).
void ApplyNcm(CellParameters& p) {
  ApplyGraphite(p);
  p.kinetics.exchange_current_A_m2 = 1.0;
  p.transport.electronic_conductivity_S_m = 1.0;  // 1e-2 S/cm, the charged state (see above)
  p.protocol.cutoff_voltage_V = 2.5;              // vs Li (1.88 V vs Li-In)
}

void ApplyNcm811(CellParameters& p) {
  ApplyNcm(p);
  p.materials.ocp_model = "NCM811_Chen2020";
  p.materials.active_density_kg_m3 = 4780.0;  // R-3m, a = 2.87 A, c = 14.2 A: 4.78 g/cm3
  // x = 0.26 (U = 4.30 V by the Chen 2020 fit) .. 1: 0.74 x 275.5 mAh/g.
  p.protocol.initial_stoichiometry = 0.26;
  p.materials.capacity_stoichiometry_span = 0.74;
  p.materials.active_specific_capacity_C_kg = 204.0 * 3.6e3;
  p.materials.particle_radius_m = 2.5e-6;       // D50 ~ 5 um, the usual SSB grade
  p.kinetics.solid_diffusivity_m2_s = 4.0e-15;  // Chen 2020 (GITT), LG M50 NMC811
}

void ApplyNcm622(CellParameters& p) {
  ApplyNcm(p);
  p.materials.ocp_model = "NCM622_Verbrugge2017";
  p.materials.active_density_kg_m3 = 4770.0;  // a = 2.868 A, c = 14.22 A, M_r = 96.93 g/mol
  // MSMR lithiation is relative to the host's fitted site count: x(4.30 V) = 0.127, x(3.0 V) =
  // 0.9999; 180 mAh/g (2.7-4.3 V vs Li, 0.1C) fills 0.13 .. 1.
  p.protocol.initial_stoichiometry = 0.13;
  p.materials.capacity_stoichiometry_span = 0.87;
  p.materials.active_specific_capacity_C_kg = 180.0 * 3.6e3;
  p.materials.particle_radius_m = 5.0e-6;  // polycrystalline D50 ~ 10 um
  p.kinetics.solid_diffusivity_m2_s = 5.0e-15;
}

void ApplyLps(CellParameters& p) {
  const CellParameters d;
  p.materials.se_density_kg_m3 = d.materials.se_density_kg_m3;
  p.transport.se_conductivity_S_m = d.transport.se_conductivity_S_m;
  p.transport.activation_energy_J_mol = d.transport.activation_energy_J_mol;
}

// Argyrodite Li6PS5Cl, cold pressed: 1-4 mS/cm at 25 C as commercial powders are reported,
// 0.3-0.4 eV; 1.86 g/cm3 from the cell (F-43m, a = 9.86 A, Z = 4, M = 268.4 g/mol).
void ApplyLi6ps5cl(CellParameters& p) {
  p.materials.se_density_kg_m3 = 1860.0;
  p.transport.se_conductivity_S_m = 0.2;         // 2 mS/cm
  p.transport.activation_energy_J_mol = 33.0e3;  // 0.34 eV
}

void ApplyNothing(CellParameters&) {}

const char* kNcmI0 =
    "NCM|sulfide: Chen 2020 LG M50 NMC811 3.4 A/m2 (liquid, x = 0.5); sulfide interfaces lower";
const char* kNcmDs = "NCM GITT: Chen 2020 4e-15; 1e-16..1e-14 over the Li content (layered oxides)";
const char* kNcmEa = "no NCM|sulfide measurement adopted: wide";
const char* kNcmSigma =
    "NCM electronic conductivity ~1e-7 (lithiated) .. 1e-2 S/cm (charged), Amin & Chiang 2016";

std::vector<MaterialPrior> NcmPriors(double radius_lo_um, double radius_hi_um) {
  return {
      {"materials.particle_radius_um",
       {PriorKind::kLogUniform, radius_lo_um, radius_hi_um, "NCM D50 3-12 um (SSB grades)"}},
      {"kinetics.exchange_current_A_m2", {PriorKind::kLogUniform, 0.1, 3.0, kNcmI0}},
      {"kinetics.exchange_current_activation_energy_kJ_mol", {PriorKind::kUniform, 20, 60, kNcmEa}},
      {"kinetics.solid_diffusivity_m2_s", {PriorKind::kLogUniform, 1e-16, 3e-14, kNcmDs}},
      {"kinetics.solid_diffusivity_activation_energy_kJ_mol",
       {PriorKind::kUniform, 20, 60, kNcmEa}},
      {"transport.electronic_conductivity_S_cm", {PriorKind::kLogUniform, 1e-4, 1e-1, kNcmSigma}},
  };
}

}  // namespace

const std::vector<MaterialPreset>& ActiveMaterials() {
  static const std::vector<MaterialPreset> list = {
      {"graphite",
       "natural graphite (the defaults: 372 mAh/g, Chen2020 OCP, lithiation from 0.01)",
       ApplyGraphite,
       {}},
      {"NCM811",
       "LiNi0.8Mn0.1Co0.1O2: Chen 2020 OCP, 204 mAh/g over x 0.26-1 (4.3 V vs Li), 4.78 g/cm3, "
       "R 2.5 um, D_s 4e-15 m2/s, i0 1 A/m2, electronic 1e-2 S/cm, cutoff 2.5 V",
       ApplyNcm811, NcmPriors(1.5, 6.0)},
      {"NCM622",
       "LiNi0.6Mn0.2Co0.2O2: MSMR OCP (Verbrugge 2017), 180 mAh/g over x 0.13-1 (4.3 V vs Li), "
       "4.77 g/cm3, R 5 um, D_s 5e-15 m2/s, i0 1 A/m2, electronic 1e-2 S/cm, cutoff 2.5 V",
       ApplyNcm622, NcmPriors(1.5, 6.0)},
      {"custom", "no preset: every value from the scenario", ApplyNothing, {}},
  };
  return list;
}

const std::vector<MaterialPreset>& Electrolytes() {
  static const std::vector<MaterialPreset> list = {
      {"LPS",
       "Li2S-P2S5 glass-ceramic (the defaults: 1.9 g/cm3, 3.2 mS/cm, 20 kJ/mol)",
       ApplyLps,
       {}},
      {"Li6PS5Cl",
       "argyrodite Li6PS5Cl, cold pressed: 1.86 g/cm3, 2 mS/cm at 25 C, 33 kJ/mol",
       ApplyLi6ps5cl,
       {{"transport.se_conductivity_S_cm",
         {PriorKind::kLogUniform, 1e-3, 4e-3, "cold-pressed Li6PS5Cl, 1-4 mS/cm at 25 C"}},
        {"transport.activation_energy_kJ_mol",
         {PriorKind::kUniform, 28, 40, "cold-pressed Li6PS5Cl, 0.29-0.41 eV"}}}},
      {"custom", "no preset: every value from the scenario", ApplyNothing, {}},
  };
  return list;
}

namespace {

// The preset of that name in the list, or nullptr.
const MaterialPreset* Named(const std::vector<MaterialPreset>& list, const std::string& name) {
  for (const auto& m : list) {
    if (m.name == name) return &m;
  }
  return nullptr;
}

}  // namespace

const MaterialPreset& FindMaterial(const std::vector<MaterialPreset>& list, const std::string& name,
                                   const std::string& what) {
  if (const MaterialPreset* m = Named(list, name)) return *m;
  std::string names;
  for (const auto& m : list) names += (names.empty() ? "" : ", ") + m.name;
  throw ConfigError("'" + name + "' is not " + what + "; expected one of " + names);
}

std::string ActiveLabel(const Materials& m) {
  const std::string& name = m.active_material;
  return name == "graphite" ? "NG" : name == "custom" ? "active" : name;
}

std::string ElectrolyteLabel(const Materials& m) {
  return m.electrolyte == "custom" ? "SE" : m.electrolyte;
}

const Prior& MaterialPriorOr(const std::string& key, const CellParameters& cell,
                             const Prior& fallback) {
  for (const MaterialPreset* m : {Named(ActiveMaterials(), cell.materials.active_material),
                                  Named(Electrolytes(), cell.materials.electrolyte)}) {
    if (m == nullptr) continue;
    for (const auto& p : m->priors) {
      if (p.key == key) return p.prior;
    }
  }
  return fallback;
}

}  // namespace edopt
