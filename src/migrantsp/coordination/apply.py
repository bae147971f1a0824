"""Apply a coordination instrument over the national results (EU 883/2004 Arts. 6, 50-58; ILO C157/R167).

For each branch the instrument covers and each person insured in two or more parties:
- totalisation (Art. 6): D = all parties' periods, overlaps counted once; each party re-runs its own
  national rule with D credited (and other parties' months inside qualifying windows);
- long-term branches, pro-rata method (Art. 52): independent B = f_s(D_s) where the national conditions
  are met alone; theoretical T = f_s(D) (or f_s(Dmax), Art. 56(1)(a)); pro-rata P = T x D_s / D (or
  / Dmax); payable = max(B, P) under the higher-of rule (Art. 52(3)), otherwise P;
- periods under one year (Art. 57): a party whose periods are shorter than the threshold and give no
  right alone pays nothing; the others count those periods in T but not in the ratio's denominator;
  if that releases every party, the last one whose conditions are met pays T in full (Art. 57(3));
- direct method: totalised periods open the right, each party pays f_s(D_s);
- integration: the party of last insurance pays f(D) alone;
- residence supplement (Art. 58): the party of residence tops the total up to its minimum;
- export (Art. 7): benefits of parties are payable while the person lives in another party;
- short-term branches: the competent party (insured on the contingency date, or last insured)
  totalises qualifying periods and pays under its own rules.
Partner states outside ASEAN have no modelled scheme: their periods are taken from the career as input.
"""

from __future__ import annotations

from importlib import import_module

import numpy as np

from migrantsp.coordination.instruments import LONG_TERM, Instrument, Method
from migrantsp.domain import ASEAN, Branch
from migrantsp.engine.benefit import ENTITLED, IN_KIND, LUMP_SUM, NOT_ENTITLED, PENSION
from migrantsp.engine.context import BranchContext
from migrantsp.engine.evaluate import Results, rule_for
from migrantsp.engine.timecols import Bools, Floats, Ints, month_index, union_length
from migrantsp.engine.trace import Step
from migrantsp.money import rate

METHOD_CODE = {"independent": 0, "pro_rata": 1, "direct": 2, "integration": 3}


def _limit(ctx: BranchContext, what: str) -> Floats | None:
    """A scheme's maximum period (months) or resident minimum, if it has one."""
    n = ctx.n
    if ctx.country in ctx.batch.custom_schemes:
        spec = getattr(ctx.batch.custom_schemes[ctx.country], ctx.branch.value)
        value = spec.max_counted_months if what == "MAX_PERIOD" else spec.resident_minimum
        return None if value is None else np.full(n, float(value))
    module = import_module(f"migrantsp.rules.{ctx.country.lower()}")
    path = getattr(module, what, {}).get(ctx.branch)
    return None if path is None else ctx.param(path)


def _party_pieces(res: Results, branch: Branch, parties: list[int]) -> list[tuple[int, Ints, Ints, Ints]]:
    """(country, person, first month, last month) of every party's insured pieces in `branch`."""
    out = []
    batch = res.batch
    for code in parties:
        country = batch.countries.codes[code]
        ctx = res.contexts.get((country, branch))
        if ctx is not None:
            row, m0, m1 = ctx._pieces()
            out.append((code, ctx.person[row], m0, m1))
        elif (
            country not in ASEAN and country not in batch.custom_schemes
        ):  # a partner state: periods as input
            sel = batch.country == code
            out.append((code, batch.person[sel], month_index(batch.start[sel]), month_index(batch.end[sel])))
    return out


def coordinate(res: Results, inst: Instrument) -> None:
    """Rewrite the results of the branches `inst` covers for persons insured in two or more parties."""
    if inst.id == "none":
        return
    batch = res.batch
    party_set = set(inst.party_codes(list(batch.custom_schemes)))
    parties = [i for i, c in enumerate(batch.countries.codes) if c in party_set]
    for branch in res.branches:
        if inst.covers(branch):
            _coordinate_branch(res, inst, branch, parties)
            if inst.export:
                _export(res, inst, branch, parties)


def _export(res: Results, inst: Instrument, branch: Branch, parties: list[int]) -> None:
    """Art. 7 / C157 Part IV: a party's cash benefits are paid to people living in any party, whether or not
    periods were totalised (a worker insured in one state only, living in another party, gains this too)."""
    cols = res.branches[branch]
    party = np.zeros(len(res.batch.countries.codes), dtype=bool)
    party[parties] = True
    is_party = party[res.row_country]
    lives_in_party = party[res.batch.residence[res.row_person]]
    cash = (cols.status == ENTITLED) & (cols.kind != IN_KIND)
    newly = is_party & lives_in_party & cash & ~cols.payable_abroad
    cols.payable_abroad[newly] = True
    if res.trace.enabled:
        src = tuple(dict.fromkeys(("INTL-EU-883", "INTL-ILO-C157", *inst.sources[:2])))
        for r in np.flatnonzero(newly).tolist():
            res.trace.add(
                np.array([r]),
                branch,
                Step(
                    "reason",
                    "export",
                    f"Under {inst.id}, payable while "
                    "living in any party: residence conditions are waived (export, Art. 7)",
                    src,
                ),
            )


def _coordinate_branch(res: Results, inst: Instrument, branch: Branch, parties: list[int]) -> None:
    batch = res.batch
    pieces = _party_pieces(res, branch, parties)
    if not pieces:
        return
    person = np.concatenate([p for _, p, _, _ in pieces])
    m0 = np.concatenate([a for _, _, a, _ in pieces])
    m1 = np.concatenate([b for _, _, _, b in pieces])
    owner = np.concatenate([np.full(p.size, c) for c, p, _, _ in pieces])
    last_day_month = month_index(batch.evaluation)[person]
    m1 = np.minimum(m1, last_day_month)
    total = union_length(person, m0, m1, batch.size)  # D per person, overlaps once
    # per person x party (column slot[code]) the months, and how many parties each person has periods in
    slot = np.full(len(batch.countries.codes), -1, dtype=np.int64)
    slot[parties] = np.arange(len(parties))
    months = union_length(person * len(parties) + slot[owner], m0, m1, batch.size * len(parties))
    per_party = months.reshape(batch.size, len(parties))
    # the (person, party) pairs with months, sparse: a few per person instead of a column per party
    pair = np.flatnonzero(months)
    pair_person, pair_months = pair // len(parties), months[pair]
    n_parties = np.bincount(pair_person, minlength=batch.size)
    multi = n_parties >= 2
    last_month = np.full(batch.size, -1, dtype=np.int64)
    np.maximum.at(last_month, person, m1)
    last_owner = np.full(batch.size, -1, dtype=np.int64)
    is_last = m1 == last_month[person]
    last_owner[person[is_last]] = owner[is_last]
    cols = res.branches[branch]
    long_term = branch in LONG_TERM
    threshold = inst.short_period_months or 0

    # independent rights (national rules alone), per person x party
    has_right = np.zeros((batch.size, len(parties)), dtype=bool)
    in_party = slot[res.row_country] >= 0
    ok = in_party & (cols.status == ENTITLED) & (cols.kind == PENSION)
    has_right[res.row_person[ok], slot[res.row_country[ok]]] = True
    if long_term and threshold:
        pair_released = (pair_months < threshold) & ~has_right.ravel()[pair]
        released = np.zeros_like(has_right)
        released.ravel()[pair[pair_released]] = True
        released_months = np.bincount(pair_person, weights=pair_months * pair_released, minlength=batch.size)
        released_months = released_months.astype(np.int64)
        all_released = multi & (np.bincount(pair_person[~pair_released], minlength=batch.size) == 0)
    else:
        released = np.zeros_like(has_right)
        released_months = np.zeros(batch.size, dtype=np.int64)
        all_released = np.zeros(batch.size, dtype=bool)

    results: dict[int, tuple[BranchContext, Ints, Floats, Floats, Floats, Bools]] = {}
    for code in parties:
        country = batch.countries.codes[code]
        ctx_full = res.contexts.get((country, branch))
        rule = rule_for(batch, country, branch) if ctx_full is not None else None
        if ctx_full is None or rule is None:
            continue
        own = per_party[ctx_full.person, slot[code]]
        mask = multi[ctx_full.person] & (own > 0)
        if not mask.any():
            continue
        sub = ctx_full.subset(mask)
        d_total = total[sub.person]
        # other parties' pieces, for qualifying windows (totalisation of short-term conditions too)
        local = -np.ones(batch.size, dtype=np.int64)
        local[sub.person] = np.arange(sub.n)
        other = (owner != code) & (local[person] >= 0)
        extra = [(local[person[other]], m0[other], m1[other])]
        d_own = own[mask]
        dmax = _limit(sub, "MAX_PERIOD") if inst.max_period_rule and long_term else None
        credited = d_total if dmax is None else np.minimum(d_total, dmax).astype(np.int64)
        res.trace.prefix = "With all parties' periods (totalisation): "
        theoretical_benefit = rule(sub.with_credited(credited, extra))
        res.trace.prefix = ""
        rows = sub.rows
        if not long_term:
            competent = _competent(sub, last_owner, code)
            _write_short_term(res, branch, rows, competent, theoretical_benefit, d_total, inst, sub)
            continue
        t_pension = theoretical_benefit.entitled & (theoretical_benefit.kind == PENSION)
        # a right the knowledge base cannot price stays a right: the amount is reported unknown, not zero
        t_unknown = t_pension & np.isnan(theoretical_benefit.amount)
        t_amount = np.where(t_pension, np.nan_to_num(theoretical_benefit.amount), 0.0)
        if dmax is not None:  # Art. 56(1)(a): the ratio's denominator is capped at the maximum period too
            denominator = np.where(d_total > dmax, dmax, d_total).astype(np.float64)
        else:
            denominator = d_total.astype(np.float64)
        denominator = np.maximum(denominator - released_months[sub.person], 1.0)
        ratio = np.minimum(d_own / denominator, 1.0)
        pro_rata = t_amount * ratio
        me_released = released[sub.person, slot[code]]
        pro_rata = np.where(me_released, 0.0, pro_rata)
        # Art. 57(3): every party released -> the last one whose conditions are met pays T in full
        takes_all = all_released[sub.person] & (last_owner[sub.person] == code) & (t_amount > 0)
        pro_rata = np.where(takes_all, t_amount, pro_rata)
        independent = np.where(has_right[sub.person, slot[code]], cols.amount[rows], 0.0)
        independent = np.nan_to_num(independent)
        if inst.method is Method.direct:
            res.trace.prefix = "Own periods only (direct method): "
            own_benefit = rule(sub.with_credited(d_own.astype(np.int64)))
            res.trace.prefix = ""
            payable = np.where(theoretical_benefit.entitled, own_benefit.pension_formula(), 0.0)
        elif inst.method is Method.integration:
            payable = np.where(last_owner[sub.person] == code, t_amount, 0.0)
        else:
            payable = np.maximum(independent, pro_rata) if inst.higher_of_independent else pro_rata
        results[code] = (sub, d_total, t_amount, pro_rata, independent, me_released)
        _write_long_term(
            res,
            t_unknown,
            branch,
            inst,
            code,
            sub,
            d_total,
            d_own,
            t_amount,
            pro_rata,
            independent,
            payable,
            me_released,
            takes_all,
            dmax,
        )
    if long_term and inst.residence_supplement:
        _supplement(res, branch, results)


def _competent(sub: BranchContext, last_owner: Ints, code: int) -> Bools:
    """The competent party for a short-term benefit: insured on the contingency date, else last insured."""
    now = sub.insured_on_contingency()
    return np.asarray(now | (last_owner[sub.person] == code), dtype=bool)


def _write_short_term(
    res: Results,
    branch: Branch,
    rows: Ints,
    competent: Bools,
    benefit: object,
    d_total: Ints,
    inst: Instrument,
    sub: BranchContext,
) -> None:
    from migrantsp.engine.benefit import Benefit

    assert isinstance(benefit, Benefit)
    cols = res.branches[branch]
    r = rows[competent]
    ok = benefit.entitled[competent]
    cols.credited_months[r] = d_total[competent]
    cols.status[r] = np.where(ok, ENTITLED, NOT_ENTITLED)
    cols.kind[r] = benefit.kind[competent]
    cols.per[r] = benefit.per[competent]
    cols.amount[r] = np.where(ok, benefit.amount[competent], np.nan)
    cols.method[r] = METHOD_CODE["independent"]
    if res.trace.enabled:
        for i in r.tolist():
            res.trace.add(
                np.array([i]),
                branch,
                Step(
                    "reason",
                    "totalised",
                    f"Qualifying periods totalised under {inst.id}: periods in the other "
                    "parties count as if completed here (competent party: insured on the contingency date "
                    "or last insured)",
                    tuple(dict.fromkeys(("INTL-EU-883", *inst.sources[:2]))),
                ),
            )


def _write_long_term(
    res: Results,
    t_unknown: Bools,
    branch: Branch,
    inst: Instrument,
    code: int,
    sub: BranchContext,
    d_total: Ints,
    d_own: Ints,
    t_amount: Floats,
    pro_rata: Floats,
    independent: Floats,
    payable: Floats,
    released: Bools,
    takes_all: Bools,
    dmax: Floats | None,
) -> None:
    cols = res.branches[branch]
    rows = sub.rows
    national_entitled = cols.status[rows] == ENTITLED
    national_lump = national_entitled & (cols.kind[rows] == LUMP_SUM)
    pays = payable > 0
    # A lump sum the national law pays when no pension is due stays due when the agreement gives nothing.
    keep_lump = national_lump & ~pays
    # A pension right whose amount the knowledge base does not establish stays a right (amount unknown).
    unknown = ~pays & ~keep_lump & (t_unknown | (national_entitled & np.isnan(cols.amount[rows])))
    cols.credited_months[rows] = d_total
    cols.status[rows] = np.where(pays | keep_lump | unknown, ENTITLED, NOT_ENTITLED)
    cols.kind[rows] = np.where(pays | (unknown & t_unknown), PENSION, cols.kind[rows])
    cols.per[rows] = np.where(pays | (unknown & t_unknown), 0, cols.per[rows])
    cols.amount[rows] = np.where(pays, payable, np.where(keep_lump, cols.amount[rows], np.nan))
    method = METHOD_CODE[inst.method.value]
    higher = (independent >= pro_rata) & (independent > 0) & (inst.method is Method.pro_rata)
    cols.method[rows] = np.where(higher, METHOD_CODE["independent"], method)
    cols.independent[rows] = np.where(independent > 0, independent, np.nan)
    cols.theoretical[rows] = np.where(t_amount > 0, t_amount, np.nan)
    cols.pro_rata[rows] = np.where(t_amount > 0, pro_rata, np.nan)
    cols.supplement[rows] = 0.0
    if inst.export:
        cols.payable_abroad[rows] = np.where(pays | keep_lump | unknown, True, cols.payable_abroad[rows])
    if not res.trace.enabled:
        return
    src = tuple(dict.fromkeys(("INTL-EU-883", "INTL-ILO-C157", *inst.sources[:2])))
    for i in range(sub.n):
        row = rows[i : i + 1]
        steps = [
            f"Totalised under {inst.id} (Art. 6): {int(d_total[i])} months in all parties, "
            f"{int(d_own[i])} here"
        ]
        if dmax is not None and d_total[i] > dmax[i]:
            steps.append(
                f"Maximum-period rule (Art. 56(1)(a)): {int(dmax[i])} months give the full benefit, "
                "so the theoretical amount and the ratio use them"
            )
        if unknown[i]:
            steps.append("The pension right holds with all parties' periods, but its amount is not "
                         "established in the knowledge base (see the national reasons above)")  # fmt: skip
        elif keep_lump[i]:
            steps.append("No pension under the agreement: the lump sum the national law pays stays due")
        else:
            steps.append(f"Theoretical amount f(D) (Art. 52(1)(b)(i)): {t_amount[i]:,.2f}")
        if unknown[i] or keep_lump[i]:
            pass
        elif released[i]:
            steps.append(
                f"Periods under {inst.short_period_months} months with no right of their own: this "
                "party pays nothing; the others take them into account (Art. 57)"
            )
        elif takes_all[i]:
            steps.append(
                "Every party's periods are under the threshold: the last party whose conditions are "
                "met pays the theoretical amount in full (Art. 57(3))"
            )
        else:
            steps.append(f"Pro-rata amount (Art. 52(1)(b)(ii)): {pro_rata[i]:,.2f}")
        if independent[i] > 0:
            steps.append(
                f"Independent amount under national law alone (Art. 52(1)(a)): {independent[i]:,.2f}"
            )
        if inst.method is Method.pro_rata and inst.higher_of_independent and independent[i] > 0:
            steps.append(f"The higher of the two is paid (Art. 52(3)): {payable[i]:,.2f}")
        if inst.method is Method.direct:
            steps.append(
                f"Direct method: totalised periods open the right; the amount rests on own periods: "
                f"{payable[i]:,.2f}"
            )
        if inst.method is Method.integration:
            steps.append(
                "Integration: the party of last insurance pays the whole benefit"
                if payable[i] > 0
                else "Integration: another party, of last insurance, pays"
            )
        if inst.export and (payable[i] > 0 or keep_lump[i]):
            steps.append("Payable while living in another party (export, Art. 7)")
        for text in steps:
            res.trace.add(row, branch, Step("reason", "coordination", text, src))


def _supplement(
    res: Results, branch: Branch, parts: dict[int, tuple[BranchContext, Ints, Floats, Floats, Floats, Bools]]
) -> None:
    """Art. 58: the party of residence tops the total of all parties' payments up to its minimum."""
    batch = res.batch
    cols = res.branches[branch]
    for code, (sub, *_rest) in parts.items():
        minimum = _limit(sub, "RESIDENT_MINIMUM")
        if minimum is None:
            continue
        resident = batch.residence[sub.person] == code
        country = batch.countries.codes[code]
        currency = batch.currency(country)
        for i in np.flatnonzero(resident).tolist():
            p = int(sub.person[i])
            year = int(str(batch.evaluation[p])[:4])  # the person's own evaluation year
            total = 0.0
            for r in np.flatnonzero(res.row_person == p).tolist():
                amount = cols.amount[r]
                if cols.status[r] != ENTITLED or cols.kind[r] != PENSION or amount != amount:
                    continue
                other = batch.countries.codes[int(res.row_country[r])]
                factor = rate(batch.currency(other), currency, year)
                total += float(amount) * (factor or 0.0)
            top_up = max(0.0, float(minimum[i]) - total)
            if top_up <= 0:
                continue
            row = int(sub.rows[i])
            cols.supplement[row] = top_up
            cols.amount[row] = np.nan_to_num(cols.amount[row]) + top_up
            cols.status[row] = ENTITLED
            cols.kind[row] = PENSION
            if res.trace.enabled:
                res.trace.add(
                    np.array([row]),
                    branch,
                    Step(
                        "reason",
                        "supplement",
                        f"Residence supplement (Art. 58): the minimum {float(minimum[i]):,.2f} "
                        f"less all parties' pensions {total:,.2f} = {top_up:,.2f}",
                        ("INTL-EU-883",),
                    ),
                )


__all__ = ["coordinate"]
