// A query the schema accepted but the data layer cannot answer (an empty or too long time
// range): the read route answers 400 invalid_query with this message.
export class InvalidQueryError extends Error {}
