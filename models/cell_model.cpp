#include "models/cell_model.h"

#include <cmath>
#include <cstdio>

#include "models/conductivity.h"
#include "models/discharge/integrator.h"
#include "models/errors.h"
#include "models/microstructure.h"
#include "models/parameter.h"
#include "models/particle.h"
#include "models/units.h"

namespace edopt {

const char* ToString(EndReason reason) {
  switch (reason) {
    case EndReason::kCutoffVoltage:
      return "cutoff_voltage";
    case EndReason::kFullyLithiated:
      return "fully_lithiated";
    case EndReason::kTimeLimit:
      return "time_limit";
    case EndReason::kNumericalFailure:
      return "numerical_failure";
  }
  return "?";
}

CellModel::CellModel(CellParameters parameters) : parameters_(std::move(parameters)) {
  parameters_.Validate();
  particle_ = SphericalDiffusion(static_cast<int>(
      std::ceil(parameters_.numerics.particle_shells * parameters_.numerics.refinement)));
  const auto& m = parameters_.materials;
  size_classes_ =
      ParticleSizeClasses(m.particle_radius_m, m.particle_radius_spread, m.particle_size_classes);
  for (const auto& c : size_classes_) inverse_radius_1_m_ += c.volume_share / c.radius_m;
  ocp_ = m.ocp_model == "table"
             ? OcpCurve::FromTable(m.ocp_table_stoichiometry, m.ocp_table_voltage_V)
             : OcpCurve::Builtin(m.ocp_model);
  // Against Li-In (or any counter electrode off Li) every voltage is offset_V lower.
  const double offset_V = parameters_.protocol.counter_electrode_potential_V;
  if (offset_V != 0.0) ocp_ = ocp_.Shifted(offset_V);
  // The composition laws at the powders' sizes (unchanged when the sizes are not given).
  transport_ = TransportAtSizes(parameters_.transport, m);
  size_ratio_ = SizeRatio(m);
  const auto& t = transport_;
  const auto& k = parameters_.kinetics;
  const double temp = parameters_.protocol.temperature_K;
  const double ref = parameters_.protocol.reference_temperature_K;
  const double kappa_arrhenius = ArrheniusFactor(t.activation_energy_J_mol, temp, ref);
  if (t.reference_resistivity_ohm_m > 0) {
    // Relative law (docs/physics.md §3): kappa(phi) = kappa(phi_ref) f(phi) / f(phi_ref).
    const double phi_ref =
        SeVolumeFraction(m, parameters_.packing, t.reference_active_weight_fraction);
    conductivity_scale_S_m_ =
        1.0 / t.reference_resistivity_ohm_m / ConductivityFraction(t, phi_ref);
  } else {
    conductivity_scale_S_m_ = t.se_conductivity_S_m;
  }
  const double factor = t.resistivity_factor_exponent == 1.0
                            ? t.resistivity_factor
                            : std::pow(t.resistivity_factor, t.resistivity_factor_exponent);
  conductivity_scale_S_m_ *= kappa_arrhenius / factor;
  separator_resistance_ohm_m2_ = k.separator_resistance_ohm_m2 /
                                 ArrheniusFactor(k.separator_activation_energy_J_mol, temp, ref);
  exchange_current_A_m2_ = k.exchange_current_A_m2 *
                           ArrheniusFactor(k.exchange_current_activation_energy_J_mol, temp, ref);
  solid_diffusivity_m2_s_ = k.solid_diffusivity_m2_s *
                            ArrheniusFactor(k.solid_diffusivity_activation_energy_J_mol, temp, ref);
  lithium_exchange_current_A_m2_ = k.lithium_exchange_current_A_m2 *
                                   ArrheniusFactor(k.separator_activation_energy_J_mol, temp, ref);
  // A transfer resistance: it falls as i0 rises with temperature.
  film_resistance_ohm_m2_ = k.film_resistance_ohm_m2 /
                            ArrheniusFactor(k.exchange_current_activation_energy_J_mol, temp, ref);
}

LayerProperties CellModel::Layer(const edopt::Layer& layer) const {
  LayerProperties p;
  const auto& m = parameters_.materials;
  p.composition = ComputeLayerComposition(m, parameters_.packing, layer.active_weight_fraction,
                                          layer.thickness_m, layer.carbon_weight_fraction);
  p.conductivity_S_m =
      conductivity_scale_S_m_ * ConductivityFraction(transport_, p.composition.se_volume_fraction);
  p.electronic_conductivity_S_m = ElectronicConductivity(
      transport_, p.composition.active_volume_fraction, p.composition.carbon_volume_fraction);
  p.contact_area_factor = parameters_.packing.contact_area_factor;
  if (size_ratio_ > 0 && transport_.law == ConductivityLawKind::kPercolation) {
    // With the SE's size given, which particles the SE network reaches and how much of their
    // surface it touches follow from the packing (docs/physics.md §3b).
    const ContactStatistics c =
        LayerContacts(p.composition.se_volume_fraction, size_ratio_,
                      transport_.percolation_threshold, transport_.conductivity_floor_fraction);
    p.reachable_fraction = c.reachable_fraction;
    p.contact_area_factor *= c.covered_share;
  }
  p.specific_area_m2_m3 = 3.0 * p.composition.active_volume_fraction * inverse_radius_1_m_ *
                          p.contact_area_factor * p.reachable_fraction;
  // The capacity fills capacity_stoichiometry_span of x (1 for graphite: exact, unchanged).
  p.storage_density_C_m3 = p.composition.theoretical_capacity_C_m2 /
                           (p.composition.active_volume_fraction * layer.thickness_m) /
                           m.capacity_stoichiometry_span;
  return p;
}

std::vector<std::string> CellModel::Warnings(const Design& design) const {
  auto warnings = SummarizeDesign(parameters_.materials, parameters_.packing, design).warnings;
  for (size_t k = 0; k < design.layers.size(); ++k) {
    const auto c = ComputeLayerComposition(parameters_.materials, parameters_.packing,
                                           design.layers[k].active_weight_fraction, 1.0,
                                           design.layers[k].carbon_weight_fraction);
    if (BelowPercolation(transport_, c.se_volume_fraction)) {
      char buffer[200];
      std::snprintf(buffer, sizeof buffer,
                    "layer %zu: SE volume fraction %.3f is at or below the percolation "
                    "threshold; conductivity set to the floor fraction",
                    k + 1, c.se_volume_fraction);
      warnings.emplace_back(buffer);
    }
    const auto& t = transport_;
    if (t.electronic_conductivity_S_m > 0 &&
        c.active_volume_fraction <= t.electronic_percolation_threshold &&
        !(CarbonConductivity(t, c.carbon_volume_fraction) > 0)) {
      char buffer[200];
      std::snprintf(buffer, sizeof buffer,
                    "layer %zu: NG volume fraction %.3f is at or below the electronic "
                    "percolation threshold %.3f; electronic conductivity set to the floor fraction",
                    k + 1, c.active_volume_fraction, t.electronic_percolation_threshold);
      warnings.emplace_back(buffer);
    }
  }
  return warnings;
}

DischargeProblem CellModel::Problem(const Design& design, double c_rate) const {
  const auto& p = parameters_;
  DischargeProblem problem;
  problem.ocp = &ocp_;
  problem.particle = &particle_;
  problem.size_classes = &size_classes_;
  for (const auto& layer : design.layers) {
    const auto props = Layer(layer);
    problem.layers.push_back({layer.thickness_m, props.conductivity_S_m,
                              props.electronic_conductivity_S_m,
                              props.composition.active_volume_fraction, props.storage_density_C_m3,
                              props.composition.theoretical_capacity_C_m2,
                              props.contact_area_factor, props.reachable_fraction});
  }
  problem.c_rate = c_rate;
  problem.temperature_K = p.protocol.temperature_K;
  problem.initial_stoichiometry = p.protocol.initial_stoichiometry;
  problem.capacity_stoichiometry_span = p.materials.capacity_stoichiometry_span;
  problem.cutoff_voltage_V = p.protocol.cutoff_voltage_V;
  problem.max_duration_factor = p.protocol.max_duration_factor;
  problem.separator_resistance_ohm_m2 = separator_resistance_ohm_m2_;
  problem.lithium_exchange_current_A_m2 = lithium_exchange_current_A_m2_;
  problem.exchange_current_A_m2 = exchange_current_A_m2_;
  problem.alpha_anodic = p.kinetics.alpha_anodic;
  problem.alpha_cathodic = p.kinetics.alpha_cathodic;
  problem.film_resistance_ohm_m2 = film_resistance_ohm_m2_;
  problem.solid_diffusivity_m2_s = solid_diffusivity_m2_s_;
  problem.diffusivity_law = p.kinetics.diffusivity_law;
  problem.electronic = p.transport.electronic_conductivity_S_m > 0;
  problem.numerics = p.numerics;
  return problem;
}

DischargeResult CellModel::Simulate(const Design& design, double c_rate,
                                    const SimulationOptions& options) const {
  ValidateDesign(design);
  if (!(c_rate > 0) || !std::isfinite(c_rate)) {
    throw ConfigError("C-rate " + FormatG(c_rate) + " must be a finite number > 0");
  }
  const DischargeProblem problem = Problem(design, c_rate);
  try {
    return IntegrateDischarge(problem, SolverTolerances::From(parameters_.numerics), options);
  } catch (const ConfigError&) {
    throw;
  } catch (const std::exception&) {
    // Whatever a numerical library throws inside a discharge is this design's numerical
    // failure, not the end of a batch of designs (issue 38: one escaped exception took a
    // command and every other design's result with it).
    DischargeResult failed;
    failed.c_rate = c_rate;
    for (const auto& l : problem.layers)
      failed.theoretical_capacity_C_m2 += l.theoretical_capacity_C_m2;
    failed.end_reason = EndReason::kNumericalFailure;
    return failed;
  }
}

}  // namespace edopt
