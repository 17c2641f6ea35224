// The JSON API's shapes (src/server/openapi.json), as far as the UI reads them.

export type Role = 'worker' | 'leader' | 'head' | 'committee' | 'reviewer' | 'admin';

export type Status = 'met' | 'met_late' | 'overdue' | 'open' | 'exempted' | 'not_applicable';

export type StatusGroup = 'all' | 'denominator' | 'done' | 'pending';

/** A user as the API shows one: /api/me, /api/users. */
export interface UserFields {
  login: string;
  name: string;
  role: Role;
  unit: string;
  unit_name?: string | null;
  worker?: string | null;
}

export interface Me extends UserFields {
  csrf_token: string;
}

export interface National {
  first_year: number;
  last_year: number;
  percent: number;
}

export interface RuleVersion {
  law: 'SEL' | 'BL' | 'local';
  reference: string;
  reference_confirmed: boolean;
  from: string;
  until: string;
}

export interface RuleInfo {
  id: string;
  name: string;
  next_step: string;
  national_measure?: string | null;
  national?: National | null;
  versions: RuleVersion[];
}

export interface Unit {
  id: string;
  parent?: string | null;
  kind: 'municipality' | 'department' | 'district' | 'team';
  name: string;
}

/** Counts by status; null where suppressed (role committee). */
export interface Counts {
  met?: number | null;
  met_late?: number | null;
  overdue?: number | null;
  open?: number | null;
  exempted?: number | null;
  not_applicable?: number | null;
  denominator?: number | null;
  done?: number | null;
  time_assumed?: number | null;
  rate?: number | null;
  done_rate?: number | null;
}

export interface RuleRate extends Counts {
  rule: string;
  name: string;
  national_measure?: string | null;
  national?: National | null;
}

export interface WorkerRates {
  worker: string | null;
  name?: string | null;
  unit: string;
  unit_name?: string;
  rates: (Counts & { rule: string })[];
}

export interface Rates {
  unit: string;
  unit_name?: string;
  as_of: string;
  from: string;
  to: string;
  suppressed: boolean;
  rates: RuleRate[];
  workers?: WorkerRates[];
}

export interface Quarter {
  quarter: string;
  from: string;
  to: string;
  complete: boolean;
}

export interface QuarterlyRates {
  unit: string;
  unit_name?: string;
  as_of: string;
  suppressed: boolean;
  quarters: Quarter[];
  rates: { rule: string; name: string; national?: National | null; by_quarter: Counts[] }[];
}

export interface Obligation {
  rule: string;
  rule_name: string;
  law: 'SEL' | 'BL' | 'local';
  reference: string;
  reference_confirmed?: boolean;
  child: string;
  trigger: string;
  trigger_type?: string;
  trigger_at?: string;
  due: string;
  status: Status;
  status_name: string;
  fulfilled_by?: string | null;
  worker?: string | null;
  worker_name?: string | null;
  unit: string;
  unit_name?: string;
  time_assumed: boolean;
  next_step?: string | null;
}

export interface Obligations {
  unit: string;
  as_of: string;
  from: string;
  to: string;
  total: number;
  page: number;
  page_size: number;
  obligations: Obligation[];
}

export interface WorklistItem extends Obligation {
  days_to_due: number;
}

export interface Worklist {
  worker: string;
  name: string;
  as_of: string;
  items: WorklistItem[];
}

export interface CaseEvent {
  id: string;
  type: string;
  type_name: string;
  at: string;
  date_only: boolean;
  worker?: string | null;
  worker_name?: string | null;
  ref?: string | null;
  measure?: string | null;
  measure_type?: string | null;
  measure_type_name?: string | null;
  decision?: string | null;
  context?: string | null;
  placement?: boolean | null;
  rule?: string | null;
  reason?: string | null;
  legal_basis?: string | null;
  retracted: boolean;
}

export interface Case {
  child: string;
  birth_date: string;
  as_of: string;
  open: boolean;
  opened?: string | null;
  closed?: string | null;
  worker?: string | null;
  worker_name?: string | null;
  unit: string;
  unit_name?: string;
  events: CaseEvent[];
  obligations: Obligation[];
}

export interface WorkerCaseload {
  worker: string;
  name: string;
  unit: string;
  unit_name?: string;
  fte: number;
  open_cases: number;
  cases_per_full_time: number;
  level: 'below' | 'within' | 'above';
  level_name?: string;
}

export interface Caseloads {
  unit: string;
  unit_name?: string;
  as_of: string;
  band: { min_cases?: number; max_cases?: number };
  open_cases?: number;
  unassigned?: number;
  fte?: number;
  workers: WorkerCaseload[];
}

export interface AuditEntry {
  seq: number;
  at: string;
  user: string;
  client: string;
  action: string;
  object: string;
  detail: string;
}

export interface AuditPage {
  total: number;
  page: number;
  page_size: number;
  entries: AuditEntry[];
}

export interface UserRecord extends UserFields {
  disabled?: boolean;
}
