"""Replay a scenario file through the production code with a simulated clock."""

from bot.simulate.runner import SimulationEvent, run_scenario
from bot.simulate.scenario import Scenario, ScenarioError, load_scenario

__all__ = ["Scenario", "ScenarioError", "SimulationEvent", "load_scenario", "run_scenario"]
