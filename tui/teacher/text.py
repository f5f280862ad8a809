"""What teacher mode says, in English and 简体中文."""

from nn_tui.tui.i18n import COMMON

TEXT = COMMON.extend(
    {
        "teach.head": ("Step {k} / {total}", "第 {k} / {total} 步"),
        "teach.pressed": ("keys: {keys}", "按键：{keys}"),
        "teach.hints": (
            "Enter next step · Backspace previous · F6 panel size · Ctrl+T stop teaching",
            "Enter 下一步 · Backspace 上一步 · F6 面板大小 · Ctrl+T 结束教学",
        ),
        "teach.first": ("This is the first step.", "已经是第一步。"),
        "teach.last": (
            "That was the last step. Backspace goes back, Ctrl+T ends teaching.",
            "这是最后一步。Backspace 返回上一步，Ctrl+T 结束教学。",
        ),
        "teach.cannot": ("Cannot teach: {error}", "无法开始教学：{error}"),
        "teach.open_lesson": (
            "Open a lesson ({lessons}) first, then press Ctrl+T; or Ctrl+P → Teach lesson N.",
            "请先打开一课（{lessons}）再按 Ctrl+T；或 Ctrl+P → 教学模式。",
        ),
        "teach.step_failed": ("Step {k} could not be done: {error}", "第 {k} 步无法完成：{error}"),
        "teach.stopped": ("Teaching stopped; the lesson stays as it is.", "教学结束；课程保持当前状态。"),
        "key.teach_next": ("Next step", "下一步"),
        "key.teach_back": ("Previous step", "上一步"),
        "key.teach_toggle": ("Teach (start/stop)", "教学模式（开始/结束）"),
        "key.teach_size": ("Teacher panel size", "教学面板大小"),
        "palette.teach": ("Teach lesson {n}: {title}", "教学模式：第{n}课 {title}"),
        "palette.teach_help": (
            "Walk through the lesson step by step: Enter next, Backspace previous",
            "逐步讲解本课：Enter 下一步，Backspace 上一步",
        ),
    }
)
