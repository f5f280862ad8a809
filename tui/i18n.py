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
        "error.invalid_number": (
            "{field}: {text!r} is not a finite number; kept {old}.",
            "{field}：{text!r} 不是有限的数字，保留原值 {old}。",
        ),
    }
)
