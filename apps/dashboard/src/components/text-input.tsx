import { FieldError, Input, Label, Text, TextField, type TextFieldProps } from "react-aria-components";

/** A labelled text field that shows the server's error about it (and is then marked invalid). */
export function TextInput({ label, error, description, ...props }: TextFieldProps & { label: string; error?: string | undefined; description?: string }) {
  return (
    <TextField {...props} className="field" isInvalid={error !== undefined}>
      <Label>{label}</Label>
      <Input />
      {description && <Text slot="description">{description}</Text>}
      <FieldError className="field-error">{error}</FieldError>
    </TextField>
  );
}
