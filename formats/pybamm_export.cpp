#include "formats/pybamm_export.h"

#include <cmath>

#include "models/cell_model.h"
#include "models/conductivity.h"
#include "models/errors.h"
#include "models/units.h"

namespace edopt {

nlohmann::ordered_json PybammParameters(const Scenario& scenario, const Design& design) {
  ValidateDesign(design);
  if (design.layers.size() != 1) {
    throw ConfigError("PyBaMM has one composition per electrode: give a design of one layer (" +
                      FormatDesign(design) + " has " + std::to_string(design.layers.size()) + ")");
  }
  const CellParameters& cell = scenario.cell;
  const CellModel model(cell);
  const DischargeProblem problem = model.Problem(design, scenario.objective_c_rate);
  const DischargeLayer& layer = problem.layers.front();
  const LayerProperties props = model.Layer(design.layers.front());
  const double eps_se = props.composition.se_volume_fraction;
  const double f = ConductivityFraction(cell.transport, eps_se);
  const double kappa_bulk = layer.conductivity_S_m / f;  // the SE's own, at the test temperature
  // kappa_eff = kappa eps^b: the Bruggeman exponent that gives edopt's kappa_eff at this
  // composition (PyBaMM's law has no percolation threshold).
  const double bruggeman = std::log(f) / std::log(eps_se);
  const double c_max = layer.storage_density_C_m3 / kFaraday_C_mol;
  const double area = scenario.pellet_area_m2, side = std::sqrt(area);
  const double capacity_Ah = layer.theoretical_capacity_C_m2 * area / kSecondsPerHour;
  const double T = problem.temperature_K;
  const double x0 = problem.initial_stoichiometry;
  nlohmann::ordered_json p;
  p["Positive electrode thickness [m]"] = layer.thickness_m;
  p["Positive particle radius [m]"] = cell.materials.particle_radius_m;
  p["Positive electrode active material volume fraction"] = layer.active_volume_fraction;
  p["Positive electrode porosity"] = eps_se;  // the electrolyte's share: the SE phase
  p["Positive electrode Bruggeman coefficient (electrolyte)"] = bruggeman;
  p["Positive electrode Bruggeman coefficient (electrode)"] = 0.0;
  p["Electrolyte conductivity [S.m-1]"] = kappa_bulk;
  p["Cation transference number"] = 1.0;  // a single-ion conductor
  if (problem.electronic) {
    p["Positive electrode conductivity [S.m-1]"] = layer.electronic_conductivity_S_m;
  }
  p["Maximum concentration in positive electrode [mol.m-3]"] = c_max;
  p["Initial concentration in positive electrode [mol.m-3]"] = x0 * c_max;
  p["Positive particle diffusivity [m2.s-1]"] = problem.solid_diffusivity_m2_s;
  p["Positive electrode charge transfer coefficient"] = problem.alpha_cathodic;
  p["Positive electrode density [kg.m-3]"] = cell.materials.active_density_kg_m3;
  if (problem.lithium_exchange_current_A_m2 > 0) {
    p["Exchange-current density for lithium metal electrode [A.m-2]"] =
        problem.lithium_exchange_current_A_m2;
  }
  p["Lower voltage cut-off [V]"] = problem.cutoff_voltage_V;
  p["Upper voltage cut-off [V]"] = model.ocp()(x0) - cell.protocol.counter_electrode_potential_V;
  p["Reference temperature [K]"] = T;
  p["Ambient temperature [K]"] = T;
  p["Initial temperature [K]"] = T;
  p["Electrode height [m]"] = side;
  p["Electrode width [m]"] = side;
  p["Number of electrodes connected in parallel to make a cell"] = 1.0;
  p["Nominal cell capacity [A.h]"] = capacity_Ah;
  p["Current function [A]"] = capacity_Ah * scenario.objective_c_rate;
  nlohmann::ordered_json out;
  out["parameters"] = p;
  // The OCP vs the counter electrode, tabulated over the discharge's window.
  nlohmann::ordered_json ocp;
  std::vector<double> x, u;
  constexpr int kPoints = 201;
  for (int k = 0; k < kPoints; ++k) {
    const double s = 1e-4 + (1.0 - 2e-4) * k / (kPoints - 1);
    x.push_back(s);
    u.push_back(model.ocp()(s) - cell.protocol.counter_electrode_potential_V);
  }
  ocp["stoichiometry"] = x;
  ocp["voltage_V"] = u;
  out["ocp"] = ocp;
  out["exchange_current_A_m2"] = problem.exchange_current_A_m2;
  out["not_exported"] = {
      "the layered composite (PyBaMM has one composition per electrode: export one layer)",
      "the percolation law of the SE network (replaced by the Bruggeman exponent that gives "
      "edopt's effective conductivity at this composition)",
      "the separator's lumped area-specific resistance (" +
          FormatG(problem.separator_resistance_ohm_m2 * 1e4, 4) +
          " ohm cm2 at the test temperature; PyBaMM models a porous separator)",
      "the film resistance in series with the reaction (" +
          FormatG(problem.film_resistance_ohm_m2 * 1e4, 4) + " ohm cm2)",
      "the particle-size classes and the stoichiometry-dependent D_s law (edopt's mean values "
      "are exported)",
      "the carbon network and the active phase's percolation (the effective electronic "
      "conductivity is exported when the scenario models it)",
      "the Arrhenius laws (every value is at the test temperature, which is also the "
      "reference temperature)"};
  return out;
}

}  // namespace edopt
