import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { AppError, AppErrorCode, type FieldProblem } from './app-error';

/**
 * Every body and query is validated against its DTO: unknown fields are refused, values converted,
 * and a refusal names each field and the reason.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    stopAtFirstError: false,
    exceptionFactory: (errors: ValidationError[]) => {
      const fields = flatten(errors);
      return new AppError(
        AppErrorCode.ValidationFailed,
        `Invalid request: ${fields.map((f) => `${f.field} ${f.reason}`).join('; ')}`,
        { fields },
      );
    },
  });
}

function flatten(errors: ValidationError[], prefix = ''): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const error of errors) {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    for (const reason of Object.values(error.constraints ?? {})) {
      // class-validator words "property x should not exist" for unknown fields; keep it short.
      out.push({ field, reason: reason.replace(/^property \S+ /, '').replace(new RegExp(`^${escape(error.property)} `), '') });
    }
    if (error.children?.length) out.push(...flatten(error.children, field));
  }
  return out;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
