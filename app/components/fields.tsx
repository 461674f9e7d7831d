/**
 * Polaris fields for plain HTML forms: each keeps its own state and submits under `name`, and shows the
 * server's message for that name. Checkboxes submit "on" or "" (an unchecked box would otherwise be absent).
 */
import { Checkbox, Select, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";

type ErrorFor = (name: string) => string | undefined;

export function TextInput(props: {
  name: string;
  label: string;
  defaultValue: string | number | null | undefined;
  errorFor: ErrorFor;
  type?: "text" | "number";
  prefix?: string;
  suffix?: string;
  helpText?: string;
  placeholder?: string;
  multiline?: boolean;
}) {
  const initial = props.defaultValue === null || props.defaultValue === undefined ? "" : String(props.defaultValue);
  const [value, setValue] = useState(initial);
  // A save reloads the page's data: show what was stored.
  useEffect(() => setValue(initial), [initial]);
  return (
    <TextField
      label={props.label}
      name={props.name}
      id={props.name}
      value={value}
      onChange={setValue}
      autoComplete="off"
      type={props.type ?? "text"}
      prefix={props.prefix}
      suffix={props.suffix}
      helpText={props.helpText}
      placeholder={props.placeholder}
      multiline={props.multiline}
      error={props.errorFor(props.name)}
    />
  );
}

export function CheckboxInput(props: { name: string; label: string; defaultChecked: boolean; helpText?: string; errorFor?: ErrorFor; onChange?: (checked: boolean) => void }) {
  const [checked, setChecked] = useState(props.defaultChecked);
  useEffect(() => setChecked(props.defaultChecked), [props.defaultChecked]);
  return (
    <>
      <Checkbox
        label={props.label}
        checked={checked}
        onChange={(next) => {
          setChecked(next);
          props.onChange?.(next);
        }}
        helpText={props.helpText}
        error={props.errorFor?.(props.name)}
      />
      <input type="hidden" name={props.name} value={checked ? "on" : ""} />
    </>
  );
}

export function SelectInput(props: { name: string; label: string; defaultValue: string; options: { label: string; value: string }[]; errorFor: ErrorFor; onChange?: (value: string) => void }) {
  const [value, setValue] = useState(props.defaultValue);
  useEffect(() => setValue(props.defaultValue), [props.defaultValue]);
  return (
    <Select
      label={props.label}
      name={props.name}
      id={props.name}
      options={props.options}
      value={value}
      onChange={(next) => {
        setValue(next);
        props.onChange?.(next);
      }}
      error={props.errorFor(props.name)}
    />
  );
}
