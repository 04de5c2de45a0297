import { check, type ErrorPath, type FormErrors, isRecord } from "./discord-errors.ts";
import { ComponentKind } from "./validate-components.ts";

const MODAL_SELECTS = new Set<number>([
  ComponentKind.StringSelect,
  ComponentKind.UserSelect,
  ComponentKind.RoleSelect,
  ComponentKind.MentionableSelect,
  ComponentKind.ChannelSelect,
]);

function checkTextInput(
  errors: FormErrors,
  path: ErrorPath,
  input: Record<string, unknown>,
  inLabel: boolean,
  customIds: Set<string>,
): void {
  check.length(errors, [...path, "custom_id"], input.custom_id, 1, 100, true);
  if (typeof input.custom_id === "string") {
    if (customIds.has(input.custom_id)) {
      errors.add(
        [...path, "custom_id"],
        "COMPONENT_CUSTOM_ID_DUPLICATED",
        "Component custom id cannot be duplicated",
      );
    }
    customIds.add(input.custom_id);
  }
  if (input.style !== 1 && input.style !== 2) {
    errors.add([...path, "style"], "BASE_TYPE_CHOICES", "Value must be one of {1, 2}.");
  }
  // Inside a Label the label text lives on the Label; the legacy action-row form puts it on the input.
  if (inLabel) {
    if (input.label !== undefined) {
      errors.add(
        [...path, "label"],
        "TEXT_INPUT_LABEL_NOT_ALLOWED",
        "Text inputs inside a label cannot have a label",
      );
    }
  } else {
    check.length(errors, [...path, "label"], input.label, 1, 45, true);
  }
  check.intRange(errors, [...path, "min_length"], input.min_length, 0, 4000);
  check.intRange(errors, [...path, "max_length"], input.max_length, 1, 4000);
  check.length(errors, [...path, "value"], input.value, 0, 4000, false);
  check.length(errors, [...path, "placeholder"], input.placeholder, 0, 100, false);
}

/** Validates a type-9 (modal) callback's data: custom_id, title and up to 5 rows/labels of inputs. */
export function validateModal(errors: FormErrors, path: ErrorPath, data: unknown): void {
  if (!isRecord(data)) {
    errors.add(path, "BASE_TYPE_REQUIRED", "This field is required");
    return;
  }
  check.length(errors, [...path, "custom_id"], data.custom_id, 1, 100, true);
  check.length(errors, [...path, "title"], data.title, 1, 45, true);
  const components = data.components;
  if (!Array.isArray(components) || components.length < 1 || components.length > 5) {
    errors.add([...path, "components"], "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length.");
    return;
  }
  const customIds = new Set<string>();
  components.forEach((component, i) => {
    const p = [...path, "components", i];
    if (!isRecord(component)) {
      errors.add(p, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType");
      return;
    }
    if (component.type === ComponentKind.ActionRow) {
      const children = component.components;
      const only = Array.isArray(children) && children.length === 1 ? children[0] : undefined;
      if (!isRecord(only) || only.type !== ComponentKind.TextInput) {
        errors.add(
          [...p, "components"],
          "MODAL_ACTION_ROW_INVALID",
          "Modal action rows must hold exactly one text input",
        );
        return;
      }
      checkTextInput(errors, [...p, "components", 0], only, false, customIds);
    } else if (component.type === ComponentKind.Label) {
      check.length(errors, [...p, "label"], component.label, 1, 45, true);
      check.length(errors, [...p, "description"], component.description, 0, 100, false);
      const inner = component.component;
      if (!isRecord(inner)) {
        errors.add([...p, "component"], "BASE_TYPE_REQUIRED", "This field is required");
      } else if (inner.type === ComponentKind.TextInput) {
        checkTextInput(errors, [...p, "component"], inner, true, customIds);
      } else if (typeof inner.type === "number" && MODAL_SELECTS.has(inner.type)) {
        check.length(errors, [...p, "component", "custom_id"], inner.custom_id, 1, 100, true);
        if (typeof inner.custom_id === "string") customIds.add(inner.custom_id);
      } else if (inner.type !== 19) {
        errors.add(
          [...p, "component", "type"],
          "UNION_TYPE_CHOICES",
          `Value of field "type" must be one of (3, 4, 5, 6, 7, 8, 19).`,
        );
      }
    } else if (component.type === ComponentKind.TextDisplay) {
      check.length(errors, [...p, "content"], component.content, 1, 4000, true);
    } else {
      errors.add([...p, "type"], "UNION_TYPE_CHOICES", `Value of field "type" must be one of (1, 10, 18).`);
    }
  });
}

/** Validates a type-8 (autocomplete result) callback's data: at most 25 named choices. */
export function validateAutocompleteResult(errors: FormErrors, path: ErrorPath, data: unknown): void {
  if (!isRecord(data)) {
    errors.add(path, "BASE_TYPE_REQUIRED", "This field is required");
    return;
  }
  if (!Array.isArray(data.choices)) {
    errors.add([...path, "choices"], "BASE_TYPE_REQUIRED", "This field is required");
    return;
  }
  check.arrayMax(errors, [...path, "choices"], data.choices, 25);
  data.choices.forEach((choice, i) => {
    const p = [...path, "choices", i];
    if (!isRecord(choice)) {
      errors.add(p, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType");
      return;
    }
    check.length(errors, [...p, "name"], choice.name, 1, 100, true);
    if (typeof choice.value === "string") check.length(errors, [...p, "value"], choice.value, 1, 100, true);
    else if (typeof choice.value !== "number") {
      errors.add([...p, "value"], "BASE_TYPE_REQUIRED", "This field is required");
    }
  });
}
