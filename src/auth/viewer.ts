// Who is asking: the signed-in user and their roles, resolved once per request by loadViewer (guards.ts).
import type { User } from '../users/queries';

export type Viewer = {
  user: User;
  roles: { admin: boolean; jury: boolean; chair: boolean };
};
