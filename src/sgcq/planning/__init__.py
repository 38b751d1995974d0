"""What-if sweeps and capacity planning, serially, on a process pool or on Dask.

The layer above :mod:`sgcq.matching`:

* :class:`Variation` (:mod:`sgcq.planning.variation`): a typed, frozen,
  serializable change to a problem (beds, budget, other payers' budgets,
  seats, quotas, cohort size, start months, hosts withdrawn, exchange
  rates), composable with ``|``.
* :class:`Sweep`, :func:`run_sweep`, :func:`iter_sweep`
  (:mod:`sgcq.planning.sweep`): a base problem and many variations, each
  solved with a seed of its own, serially, on any
  :class:`concurrent.futures.Executor` or on a Dask ``distributed.Client``
  (the ``dask`` extra); a :class:`SweepTable` of typed rows, or a pandas
  ``DataFrame``.
* :func:`least_capacity`, :func:`marginal_values`, :func:`frontier`
  (:mod:`sgcq.planning.capacity`): the least beds, budget (the allowances' or
  another payer's) or seats that place a target; what one more placement is
  worth in each limit, from the Lagrangian multipliers and checked by
  re-solves; placed against a resource.

See ``docs/planning.md``.
"""

from sgcq.errors import DaskNotInstalledError, PlanningError, VariationError
from sgcq.planning.capacity import (
    CapacityAnswer,
    FrontierPoint,
    MarginalValue,
    Probe,
    Resource,
    frontier,
    least_capacity,
    marginal_values,
    placed_problem,
)
from sgcq.planning.sweep import (
    DEFAULT_SETTINGS,
    Progress,
    Sweep,
    SweepRow,
    SweepTable,
    dask_client,
    iter_sweep,
    run_sweep,
    solve_variation,
)
from sgcq.planning.variation import (
    PayerBudgetScale,
    QuotaBounds,
    RateChange,
    SeatsChange,
    Variation,
    beds_scales,
    budget_scales,
    grid,
    payer_scales,
)

__all__ = [
    "DEFAULT_SETTINGS",
    "CapacityAnswer",
    "DaskNotInstalledError",
    "FrontierPoint",
    "MarginalValue",
    "PayerBudgetScale",
    "PlanningError",
    "Probe",
    "Progress",
    "QuotaBounds",
    "RateChange",
    "Resource",
    "SeatsChange",
    "Sweep",
    "SweepRow",
    "SweepTable",
    "Variation",
    "VariationError",
    "beds_scales",
    "budget_scales",
    "dask_client",
    "frontier",
    "grid",
    "iter_sweep",
    "least_capacity",
    "marginal_values",
    "payer_scales",
    "placed_problem",
    "run_sweep",
    "solve_variation",
]
