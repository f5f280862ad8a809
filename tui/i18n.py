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
        "help.app_keys": ("Keys everywhere", "全局按键"),
        "help.open_lesson": ("Open a lesson", "打开课程"),
        "key.quit_now": ("Quit", "退出"),
        "key.palette": ("palette", "命令"),
        "palette.lesson": ("Open lesson {n}: {title}", "打开第{n}课：{title}"),
        "palette.lesson_help": ("Switch to this lesson's screen", "切换到该课程页面"),
        "palette.home": ("Home", "首页"),
        "palette.home_help": ("Back to the list of lessons", "回到课程列表"),
        "palette.language": ("Language: English / 简体中文", "语言：English / 简体中文"),
        "palette.language_help": ("Switch the interface language", "切换界面语言"),
        "palette.help": ("Help", "帮助"),
        "palette.help_help": ("What this screen does and its keys", "本页说明与按键"),
        "palette.placeholder": ("Search for commands…", "搜索命令…"),
        "palette.theme_placeholder": ("Search for themes…", "搜索主题…"),
        "palette.no_matches": ("No matches found", "没有匹配的命令"),
        "palette.section": ("Section: {name}", "小节：{name}"),
        "palette.key_help": ("This lesson's key: {keys}", "本课按键：{keys}"),
        "palette.theme": ("Theme", "主题"),
        "palette.theme_help": ("Change the colours", "更换配色"),
        "palette.screenshot": ("Screenshot (SVG)", "截图（SVG）"),
        "palette.screenshot_help": ("Save an SVG of this screen for handouts (F12)", "保存本页的 SVG 截图，用作讲义（F12）"),
        "palette.maximize": ("Maximize", "最大化"),
        "palette.maximize_help": ("Fill the screen with the focused widget", "让当前控件占满屏幕"),
        "palette.minimize": ("Minimize", "还原"),
        "palette.minimize_help": ("Back to the normal layout", "恢复正常布局"),
        "palette.quit": ("Quit", "退出"),
        "palette.quit_help": ("Quit the application as soon as possible", "立即退出 nn-tui"),
        "quit.confirm": ("Press q or y to quit anyway; any other key goes back.", "按 q 或 y 仍然退出；按其他键返回。"),
        "quit.ctrl_c": ("Press q or ctrl+q to quit.", "按 q 或 ctrl+q 退出。"),
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
