import { registerDecorator, ValidationOptions } from 'class-validator';

/** `input` is a string or an array of items; the item contents are checked by the input mapper. */
export function IsResponseInput(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isResponseInput',
      target: target.constructor,
      propertyName: String(propertyName),
      options,
      validator: {
        validate: (value: unknown) =>
          (typeof value === 'string' && value.length > 0) || (Array.isArray(value) && value.length > 0),
        defaultMessage: () => 'input must be a non-empty string or a non-empty array of input items',
      },
    });
  };
}
