import * as queries from './queries';

export type { JuryRole } from './queries';
export const juryRole = queries.juryRole;
