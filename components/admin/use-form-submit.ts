"use client";
// The state every settings form keeps: the failure's sentence, per-field messages from a 400,
// and whether a request is in flight. `send` turns the form into one API call; on success
// the form is reset and `onDone` gets the answer.
import { useState, type FormEvent } from "react";
import type { ApiError, ApiResult } from "@/lib/client/api";

export function useFormSubmit<T>(
  send: (form: FormData) => Promise<ApiResult<T>>,
  onDone: (data: T) => void,
  failureText: (failure: ApiError) => string = (f) => f.message,
) {
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    setBusy(true);
    setError(null);
    setFields({});
    const result = await send(new FormData(formElement));
    setBusy(false);
    if (result.ok) {
      formElement.reset();
      onDone(result.data);
      return;
    }
    setFields(result.failure.fields);
    setError(failureText(result.failure));
  }

  return { error, fields, busy, onSubmit };
}
