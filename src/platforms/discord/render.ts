/**
 * A View as a Discord message: one embed (tone → colour, title, text and item lines → description,
 * fields → embed fields, footer) and up to five action rows (the select menu takes one, buttons
 * fill the rest). Every length is clamped to Discord's limits here, so a long skin name or a big
 * inventory page never turns into a 400 from Discord; the fake Discord checks the same limits.
 */
import {
  ActionRowBuilder,
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
  type APIEmbed,
  ButtonBuilder,
  ButtonStyle,
  EmbedBuilder,
  escapeMarkdown,
  StringSelectMenuBuilder,
  StringSelectMenuOptionBuilder,
} from "discord.js";
import { encodeAction } from "../../ui/action-id.ts";
import {
  type Block,
  type Button,
  type Inline,
  type ItemRow,
  isLinkButton,
  type Select,
  type Tone,
  type View,
  type ButtonStyle as ViewButtonStyle,
} from "../../ui/view.ts";

export const DISCORD_LIMITS = {
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  embedTotal: 6000,
  rows: 5,
  buttonsPerRow: 5,
  buttonLabel: 80,
  selectOptions: 25,
  optionText: 100,
  placeholder: 150,
} as const;

/** Discord's own palette, so a tone reads the same as Discord's UI. */
export const TONE_COLOURS: Record<Tone, number> = {
  info: 0x5865f2,
  success: 0x57f287,
  warning: 0xfee75c,
  danger: 0xed4245,
};

const BUTTON_STYLES: Record<ViewButtonStyle, ButtonStyle> = {
  primary: ButtonStyle.Primary,
  secondary: ButtonStyle.Secondary,
  success: ButtonStyle.Success,
  danger: ButtonStyle.Danger,
};

/** An embed field must not be empty; a zero-width space shows as nothing. */
const BLANK = "\u200b";

export interface DiscordMessage {
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIComponentInMessageActionRow>[];
}

/** Cuts to `max` characters (code points), ending with an ellipsis when something was cut. */
export function clamp(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}

const URL_PATTERN = /https?:\/\/[^\s<>()]+/g;

/**
 * Escapes markdown in plain text but leaves URLs alone: a trade URL's token may hold `_`, and an
 * escaped URL is no longer the URL Discord links to.
 */
export function escapeText(text: string): string {
  let out = "";
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    out += escapeMarkdown(text.slice(last, match.index));
    out += match[0];
    last = match.index + match[0].length;
  }
  return out + escapeMarkdown(text.slice(last));
}

function inline(span: Inline): string {
  if (span.href !== undefined) {
    return span.text === span.href ? span.href : `[${escapeText(span.text)}](${span.href})`;
  }
  // Inline code can't escape a backtick, so a lookalike takes its place.
  let out = span.code ? `\`${span.text.replaceAll("`", "ˋ")}\`` : escapeText(span.text);
  if (span.bold && out.trim() !== "") out = `**${out}**`;
  return out;
}

function itemLine(row: ItemRow): string {
  const mark = row.selected ? "✅" : row.disabled ? "🚫" : "▫️";
  const parts = [escapeText(row.label)];
  if (row.detail) parts.push(escapeText(row.detail));
  if (row.price) parts.push(`**${escapeText(row.price)}**`);
  if (row.state) parts.push(`*${escapeText(row.state)}*`);
  return `${mark} ${parts.join(" · ")}`;
}

/** Cuts a multi-line text at a line break where possible, so an item list loses whole lines. */
function fitLines(text: string, max: number): string {
  if ([...text].length <= max) return text;
  const cut = [...text].slice(0, max - 2).join("");
  const lastBreak = cut.lastIndexOf("\n");
  return `${lastBreak > max / 2 ? cut.slice(0, lastBreak) : cut}\n…`;
}

function describe(blocks: Block[]): { description: string; fields: { name: string; value: string }[] } {
  const paragraphs: string[] = [];
  const fields: { name: string; value: string }[] = [];
  for (const block of blocks) {
    switch (block.kind) {
      case "text":
        paragraphs.push(block.spans.map(inline).join(""));
        break;
      case "items":
        if (block.items.length > 0) paragraphs.push(block.items.map(itemLine).join("\n"));
        break;
      case "fields":
        for (const f of block.fields) {
          fields.push({
            name: clamp(f.label.trim() === "" ? BLANK : f.label, DISCORD_LIMITS.fieldName),
            value: clamp(f.value.trim() === "" ? BLANK : escapeText(f.value), DISCORD_LIMITS.fieldValue),
          });
        }
        break;
    }
  }
  return { description: paragraphs.join("\n\n"), fields: fields.slice(0, DISCORD_LIMITS.fields) };
}

const length = (s: string | undefined) => (s === undefined ? 0 : [...s].length);

export function renderEmbed(view: View): APIEmbed {
  const title = view.title !== undefined ? clamp(escapeText(view.title), DISCORD_LIMITS.title) : undefined;
  const footer = view.footer !== undefined ? clamp(view.footer, DISCORD_LIMITS.footer) : undefined;
  const { description, fields } = describe(view.blocks);
  const around =
    length(title) + length(footer) + fields.reduce((n, f) => n + length(f.name) + length(f.value), 0);
  const room = Math.min(DISCORD_LIMITS.description, DISCORD_LIMITS.embedTotal - around);
  const embed = new EmbedBuilder().setColor(TONE_COLOURS[view.tone]);
  if (title) embed.setTitle(title);
  const text = fitLines(description, room);
  // An embed needs some content; a view of only fields or only a title has it already.
  if (text.trim() !== "") embed.setDescription(text);
  else if (!title && fields.length === 0) embed.setDescription(BLANK);
  if (fields.length > 0) embed.addFields(fields.map((f) => ({ ...f, inline: true })));
  if (footer && footer.trim() !== "") embed.setFooter({ text: footer });
  return embed.toJSON();
}

function renderButton(button: Button): ButtonBuilder {
  const label = clamp(button.label.trim() === "" ? "…" : button.label, DISCORD_LIMITS.buttonLabel);
  if (isLinkButton(button))
    return new ButtonBuilder().setStyle(ButtonStyle.Link).setURL(button.url).setLabel(label);
  return new ButtonBuilder()
    .setCustomId(encodeAction(button.action))
    .setLabel(label)
    .setStyle(BUTTON_STYLES[button.style ?? "secondary"])
    .setDisabled(button.disabled ?? false);
}

function renderSelect(select: Select): StringSelectMenuBuilder {
  const options = select.options.slice(0, DISCORD_LIMITS.selectOptions).map((o) => {
    const option = new StringSelectMenuOptionBuilder()
      .setValue(clamp(o.value, DISCORD_LIMITS.optionText))
      .setLabel(clamp(o.label.trim() === "" ? "…" : o.label, DISCORD_LIMITS.optionText))
      .setDefault(o.selected ?? false);
    if (o.description && o.description.trim() !== "")
      option.setDescription(clamp(o.description, DISCORD_LIMITS.optionText));
    return option;
  });
  const max = Math.max(1, Math.min(select.max, options.length));
  return new StringSelectMenuBuilder()
    .setCustomId(encodeAction(select.action))
    .setPlaceholder(clamp(select.placeholder, DISCORD_LIMITS.placeholder))
    .setMinValues(Math.min(Math.max(0, select.min), max))
    .setMaxValues(max)
    .addOptions(options);
}

/**
 * Keeps the view's rows when they fit; otherwise packs the buttons five to a row (a list of ten
 * one-button rows, like the withdraw suggestions, becomes two rows of five).
 */
export function layoutButtons(rows: Button[][], available: number): Button[][] {
  const nonEmpty = rows.filter((r) => r.length > 0);
  if (nonEmpty.length <= available && nonEmpty.every((r) => r.length <= DISCORD_LIMITS.buttonsPerRow))
    return nonEmpty;
  const all = nonEmpty.flat();
  const packed: Button[][] = [];
  for (let i = 0; i < all.length && packed.length < available; i += DISCORD_LIMITS.buttonsPerRow) {
    packed.push(all.slice(i, i + DISCORD_LIMITS.buttonsPerRow));
  }
  return packed;
}

export function renderComponents(view: View): DiscordMessage["components"] {
  const rows: DiscordMessage["components"] = [];
  if (view.select && view.select.options.length > 0) {
    rows.push(
      new ActionRowBuilder<StringSelectMenuBuilder>().addComponents(renderSelect(view.select)).toJSON(),
    );
  }
  for (const row of layoutButtons(view.buttons, DISCORD_LIMITS.rows - rows.length)) {
    rows.push(new ActionRowBuilder<ButtonBuilder>().addComponents(row.map(renderButton)).toJSON());
  }
  return rows;
}

/** The whole message body for a reply, an edit, a follow-up or a DM. */
export function renderView(view: View): DiscordMessage {
  return { embeds: [renderEmbed(view)], components: renderComponents(view) };
}
