import { Button, Label, ListBox, ListBoxItem, Popover, Select, SelectValue } from "react-aria-components";

/** One choice of a {@link SelectInput}. */
export interface Choice<T extends string> {
  id: T;
  label: string;
}

/** A labelled drop-down of fixed choices (React Aria's Select: keyboard and screen-reader ready). */
export function SelectInput<T extends string>({
  label,
  choices,
  value,
  onChange,
  isDisabled,
}: {
  label: string;
  choices: readonly Choice<T>[];
  value: T;
  onChange(value: T): void;
  isDisabled?: boolean;
}) {
  return (
    <Select className="field select" selectedKey={value} onSelectionChange={(key) => key !== null && onChange(key as T)} isDisabled={isDisabled ?? false}>
      <Label>{label}</Label>
      <Button className="select-button">
        <SelectValue />
        <span aria-hidden="true">▾</span>
      </Button>
      <Popover className="popover">
        <ListBox className="listbox" items={choices}>
          {(choice) => (
            <ListBoxItem className="listbox-item" id={choice.id} textValue={choice.label}>
              {choice.label}
            </ListBoxItem>
          )}
        </ListBox>
      </Popover>
    </Select>
  );
}
