// The accounts API's wire contract as zod schemas: request bodies for the handlers, item
// shapes for the OpenAPI document and the forms.
import { z } from "zod";

export const ROLES = ["admin", "operator", "viewer"] as const;
export type Role = (typeof ROLES)[number];

export const MIN_PASSWORD_LENGTH = 12;
/** Bounds the work one request can ask for; nobody types more. */
export const MAX_PASSWORD_LENGTH = 1024;

const email = z.string().trim().toLowerCase().max(254).pipe(z.email({ message: "must be an email address" }));
const newPassword = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `must have at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(MAX_PASSWORD_LENGTH, `must have at most ${MAX_PASSWORD_LENGTH} characters`);
const name = z.string().trim().max(100);
const role = z.enum(ROLES);

export const loginBody = z.object({
  // Not checked as an email here: any wrong login gets the same answer.
  email: z.string().max(254),
  password: z.string().min(1).max(MAX_PASSWORD_LENGTH),
});

export const setupBody = z
  .object({ email, name: name.min(1, "is required"), password: newPassword, passwordConfirm: z.string() })
  .refine((b) => b.password === b.passwordConfirm, { message: "the two passwords differ", path: ["passwordConfirm"] });

export const createUserBody = z.object({ email, name: name.optional(), role, password: newPassword });

export const updateUserBody = z
  .object({ role: role.optional(), name: name.nullable().optional(), disabled: z.boolean().optional(), password: newPassword.optional() })
  .strict()
  .refine((b) => Object.keys(b).length > 0, { message: "change at least one of role, name, disabled, password" });

export const usersQuery = z.object({});

export const changePasswordBody = z
  .object({ currentPassword: z.string().min(1, "is required").max(MAX_PASSWORD_LENGTH), newPassword })
  .strict()
  .refine((b) => b.currentPassword !== b.newPassword, { message: "must differ from the current password", path: ["newPassword"] });
export const passwordChanged = z.object({ changed: z.literal(true), signedOutSessions: z.number().int() });

export const meItem = z.object({ email: z.string(), name: z.string().nullable(), role: z.enum(ROLES) });

export const userItem = z.object({
  id: z.number().int(),
  email: z.string(),
  name: z.string().nullable(),
  role: z.enum(ROLES),
  createdAt: z.string(),
  disabledAt: z.string().nullable(),
});

export type LoginBody = z.infer<typeof loginBody>;
export type SetupBody = z.infer<typeof setupBody>;
export type CreateUserBody = z.infer<typeof createUserBody>;
export type UpdateUserBody = z.infer<typeof updateUserBody>;

/** What the dashboard's frame shows of the signed-in user: who, and which sections to offer. */
export interface ShellUser {
  email: string;
  name: string | null;
  role: Role;
  may: { share: boolean; manageKeys: boolean; manageUsers: boolean };
}
