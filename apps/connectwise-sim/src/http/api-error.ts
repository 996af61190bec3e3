/** ConnectWise error bodies (shared/connectwise/API-NOTES.md §7): `{code, message, errors?}`. */
export interface ValidationIssue {
  code: 'MissingRequiredField' | 'ObjectExists' | 'NotFound' | 'InvalidField' | 'MaxLengthField';
  message: string;
  resource: string;
  field: string;
}

export interface ErrorBody {
  code: string;
  message: string;
  errors?: ValidationIssue[];
  [extra: string]: unknown;
}

/** An error answered as-is by the HTTP layer. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(body.message);
    this.name = 'ApiError';
  }

  static notFound(thing: string, id: number | string): ApiError {
    return new ApiError(404, { code: 'NotFound', message: `${thing} ${id} not found` });
  }

  static invalidObject(objectName: string, errors: ValidationIssue[]): ApiError {
    return new ApiError(400, { code: 'InvalidObject', message: `${objectName} object is invalid`, errors });
  }

  static invalidPatch(message: string): ApiError {
    return new ApiError(400, { code: 'InvalidPatch', message });
  }

  static badRequest(message: string, code = 'InvalidObject'): ApiError {
    return new ApiError(400, { code, message });
  }

  /**
   * A JSON value of the wrong type in a POST/PUT body. ConnectWise (Json.NET) answers 500
   * `ConnectWiseApi` "Error converting value …" rather than 400 (pyconnectwise's tests, API-NOTES §7.3);
   * the simulator does the same so clients learn not to retry it.
   */
  static conversion(value: unknown, netType: string, path: string): ApiError {
    const shown = typeof value === 'string' ? value : JSON.stringify(value);
    return new ApiError(500, {
      code: 'ConnectWiseApi',
      message: `Error converting value "${shown}" to type '${netType}'. Path '${path}', line 1, position 1.`,
    });
  }

  static security(): ApiError {
    return new ApiError(403, { code: 'Security', message: 'You do not have security permission to perform this action.' });
  }
}
