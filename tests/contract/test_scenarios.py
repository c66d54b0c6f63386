"""The shared end-to-end scenarios, in-process (the black-box tier runs them too)."""

from __future__ import annotations

import pytest

from tests.contract.scenarios import SCENARIOS, AppCredentials, Scenario
from tests.contract.wire import Post


@pytest.mark.parametrize("scenario", SCENARIOS.values(), ids=SCENARIOS.keys())
def test_scenario_holds_in_process(
    scenario: Scenario, post: Post, fresh_app: AppCredentials
) -> None:
    scenario(post, fresh_app)
