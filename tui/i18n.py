"""The message catalogue: every string a user reads goes through here.

Each screen module owns a `Strings` table of `key -> (English, 简体中文)`.
Keeping the two languages side by side in one tuple means a missing
translation is a syntax-level gap a reviewer sees at once, and a new lesson
adds its text without touching any other file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

LANGUAGES: tuple[str, ...] = ("en", "zh")
LANGUAGE_NAMES: Mapping[str, str] = {"en": "English", "zh": "简体中文"}


def next_language(language: str) -> str:
    """The language after `language` in the switch cycle."""
    index = LANGUAGES.index(language) if language in LANGUAGES else -1
    return LANGUAGES[(index + 1) % len(LANGUAGES)]


@dataclass(frozen=True)
class Strings:
    """A table of translated strings, optionally falling back to another."""

    entries: Mapping[str, tuple[str, str]]
    fallback: Strings | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        for key, texts in self.entries.items():
            if len(texts) != len(LANGUAGES) or not all(texts):
                raise ValueError(f"string {key!r} needs one non-empty text per language {LANGUAGES}")

    def __contains__(self, key: str) -> bool:
        return key in self.entries or (self.fallback is not None and key in self.fallback)

    def get(self, key: str, language: str = "en", **values: object) -> str:
        """The text for `key` in `language`, with `{name}` fields filled in."""
        texts = self.entries.get(key)
        if texts is None:
            if self.fallback is None:
                raise KeyError(f"no string {key!r} in the catalogue")
            return self.fallback.get(key, language, **values)
        text = texts[LANGUAGES.index(language) if language in LANGUAGES else 0]
        return text.format(**values) if values else text

    def extend(self, entries: Mapping[str, tuple[str, str]]) -> Strings:
        """A table with `entries` that falls back to this one."""
        return Strings(entries, fallback=self)


COMMON = Strings(
    {
        "app.title": ("nn-tui", "nn-tui"),
        "app.subtitle": ("see how a neural network learns", "看见神经网络如何学习"),
        "key.home": ("Home", "首页"),
        "key.help": ("Help", "帮助"),
        "key.quit": ("Quit", "退出"),
        "key.language": ("中文", "English"),
        "key.lesson": ("Lesson {n}", "第{n}课"),
        "key.handout": ("Screenshot (SVG)", "截图（SVG）"),
        "help.title": ("Help", "帮助"),
        "help.keys": ("Keys on this screen", "本页按键"),
        "help.close": ("Press Escape or ? to close.", "按 Esc 或 ? 关闭。"),
        "help.global": (
            "{lessons} open a lesson, h goes home, l switches the language, "
            "ctrl+p opens the command palette, F12 saves an SVG screenshot for handouts, q quits.",
            "数字键 {lessons} 打开课程，h 回到首页，l 切换语言，ctrl+p 打开命令面板，F12 保存 SVG 截图（讲义用），q 退出。",
        ),
        "palette.lesson": ("Open lesson {n}: {title}", "打开第{n}课：{title}"),
        "palette.lesson_help": ("Switch to this lesson's screen", "切换到该课程页面"),
        "palette.home": ("Home", "首页"),
        "palette.home_help": ("Back to the list of lessons", "回到课程列表"),
        "palette.language": ("Language: English / 简体中文", "语言：English / 简体中文"),
        "palette.language_help": ("Switch the interface language", "切换界面语言"),
        "palette.help": ("Help", "帮助"),
        "palette.help_help": ("What this screen does and its keys", "本页说明与按键"),
        # Refusals: the codes of nn_tui.core.refusal.Refusal met by every lesson.
        "refusal.other": ("That cannot be done here ({code}); nothing was changed.", "这里无法这样做（{code}），未作任何更改。"),
        "state.not_a_table": ("The saved state is damaged: {field} is not a table; nothing was changed.", "保存的状态已损坏：{field} 不是表；未作任何更改。"),
        "state.missing": ("The saved state lacks {field}; nothing was changed.", "保存的状态缺少 {field}；未作任何更改。"),
        "state.not_a_number": ("The saved state's {field} is {value}, not a number; nothing was changed.", "保存的状态中 {field} 为 {value}，不是数字；未作任何更改。"),
        "state.not_finite": ("The saved state's {field} is {value}, not a finite number; nothing was changed.", "保存的状态中 {field} 为 {value}，不是有限的数字；未作任何更改。"),
        "state.not_integer": ("The saved state's {field} is {value}, not a whole number; nothing was changed.", "保存的状态中 {field} 为 {value}，不是整数；未作任何更改。"),
        "state.not_flag": ("The saved state's {field} is {value}, not true or false; nothing was changed.", "保存的状态中 {field} 为 {value}，不是 true 或 false；未作任何更改。"),
        "state.not_text": ("The saved state's {field} is {value}, not a text; nothing was changed.", "保存的状态中 {field} 为 {value}，不是文本；未作任何更改。"),
        "state.unknown_choice": ("The saved state's {field} is {value}; it must be one of {options}. Nothing was changed.", "保存的状态中 {field} 为 {value}，应为 {options} 之一；未作任何更改。"),
        "state.not_a_list": ("The saved state's {field} is not a list; nothing was changed.", "保存的状态中 {field} 不是列表；未作任何更改。"),
        "state.wrong_length": ("The saved state's {field} has {length} items, not {expected}; nothing was changed.", "保存的状态中 {field} 有 {length} 项，应为 {expected} 项；未作任何更改。"),
        "state.out_of_range": ("The saved state's {field} is {value}, outside {low} … {high}; nothing was changed.", "保存的状态中 {field} 为 {value}，超出 {low} … {high}；未作任何更改。"),
        "state.version": ("The saved state is of format {version}; this nn-tui reads format {expected}. Nothing was changed.", "保存的状态格式为 {version}，本程序读取格式 {expected}；未作任何更改。"),
        "state.other_lesson": ("The saved state belongs to lesson '{lesson}', not this one; nothing was changed.", "保存的状态属于课程“{lesson}”，不是本课；未作任何更改。"),
        "key.leave_field": ("Leave the field", "离开输入框"),
        "error.invalid_number": (
            "{field}: {text!r} is not a finite number; kept {old}.",
            "{field}：{text!r} 不是有限的数字，保留原值 {old}。",
        ),
    }
)
