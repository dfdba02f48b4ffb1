// Building blocks of the OpenAPI document: JSON Schema from zod, query parameters, errors.
import { z } from "zod";

export type Json = Record<string, unknown>;

export const schema = (s: z.ZodType, io: "input" | "output" = "output"): Json => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(s, { target: "draft-2020-12", io, unrepresentable: "any" }) as Json;
  return rest;
};

export const errorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

export function queryParameters(query: z.ZodObject): Json[] {
  return Object.entries(query.shape).map(([name, field]) => ({
    name,
    in: "query",
    required: !(field as z.ZodType).safeParse(undefined).success,
    schema: schema(field as z.ZodType, "input"),
  }));
}

export const error = (description: string) => ({ description, content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } });
export const readErrors = {
  "400": error("Invalid query (code invalid_query)"),
  "401": error("Missing or unknown key (unauthenticated)"),
  "403": error("Valid key, wrong scope or another site (forbidden)"),
  "503": error("Storage unavailable (unavailable), with Retry-After"),
};

