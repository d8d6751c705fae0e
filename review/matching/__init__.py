"""Technical-assistance matching: TA needs (questionnaire rows and standalone requests) against the
offers of Parties, UNODC and other organizations.

- `engine`: plain data in, candidates with scores and their parts, the optimal capacity-respecting
  assignment (`optimal`), the greedy baseline (`greedy`) and next-best `alternatives`;
- `registry`: offers, standalone requests and a Party's languages for TA, checked then written;
- `needs`: the needs of a cycle, from the analysis layer and the requests;
- `matches`: suggested -> accepted -> in_progress -> delivered, or declined (`act`);
- `report`: `match_report(store, actor, cycle_id, lang)`, the views each reader may see;
- `files`: the report as Excel, JSON, CSV or PDF; `offer_workbook`: offers in bulk from Excel;
- `demo`: the demo's offers.
"""
