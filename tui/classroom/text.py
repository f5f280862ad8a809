"""What the classroom says (following, broadcasting, state files), in English and 简体中文."""

from nn_tui.tui.i18n import COMMON

TEXT = COMMON.extend(
    {
        # --- state files ---
        "file.not_found": ("There is no file {path}; nothing was changed.", "没有文件 {path}；未作任何更改。"),
        "file.not_file": (
            "{path} is not a regular file; nothing was changed.",
            "{path} 不是普通文件；未作任何更改。",
        ),
        "file.too_large": (
            "{path} is {size} bytes, more than a state file can be ({limit}); nothing was changed.",
            "{path} 有 {size} 字节，超过状态文件的上限（{limit}）；未作任何更改。",
        ),
        "file.not_json": (
            "{path} is not a JSON state file; nothing was changed.",
            "{path} 不是 JSON 状态文件；未作任何更改。",
        ),
        "file.not_state": (
            "{path} is not an nn-tui state file; nothing was changed.",
            "{path} 不是 nn-tui 的状态文件；未作任何更改。",
        ),
        "file.cannot_read": ("Cannot read {path} ({error}); nothing was changed.", "无法读取 {path}（{error}）；未作任何更改。"),
        "file.cannot_save": ("Cannot save {path} ({error}); nothing was saved.", "无法保存 {path}（{error}）；未保存。"),
        "file.unknown_lesson": (
            "{path} holds the state of lesson '{lesson}', which this nn-tui does not have; nothing was changed.",
            "{path} 保存的是课程“{lesson}”的状态，本程序没有这一课；未作任何更改。",
        ),
        "save.title": ("Save this lesson's state to a file", "把本课的状态保存到文件"),
        "save.hint": ("Enter saves · Esc cancels", "Enter 保存 · Esc 取消"),
        "save.done": ("Saved to {path}; open it with nn-tui --open {path}", "已保存到 {path}；用 nn-tui --open {path} 打开"),
        "save.no_lesson": (
            "Open a lesson first: only a lesson has a state to save.",
            "请先打开一课：只有课程才有可保存的状态。",
        ),
        "save.empty": ("Type a file name to save to.", "请输入要保存的文件名。"),
        "key.save_state": ("Save state", "保存状态"),
        "palette.save_state": ("Save this lesson's state…", "保存本课状态……"),
        "palette.save_state_help": (
            "Write what this lesson shows to a file; nn-tui --open FILE opens it again",
            "把本课当前的状态写入文件；用 nn-tui --open 文件 再次打开",
        ),
        # --- following the teacher ---
        "follow.following": (
            "Following the teacher — press F7 to explore on your own",
            "正在跟随老师 —— 按 F7 自己探索",
        ),
        "follow.on_own": ("On your own — press F8 to rejoin", "自己探索中 —— 按 F8 重新跟随老师"),
        "follow.waiting": (
            "Waiting for the teacher ({path}) — press F7 to explore on your own",
            "正在等待老师（{path}）—— 按 F7 自己探索",
        ),
        "follow.gone": (
            "The teacher stopped; reconnecting by itself — press F7 to explore on your own",
            "老师已停止；正在自动重新连接 —— 按 F7 自己探索",
        ),
        "follow.gone_notice": (
            "The teacher stopped or restarted; nn-tui reconnects by itself.",
            "老师已停止或重启；nn-tui 会自动重新连接。",
        ),
        "follow.bad_message": (
            "A message from the teacher was damaged ({code}) and was dropped.",
            "来自老师的一条消息已损坏（{code}），已丢弃。",
        ),
        "follow.unknown_lesson": (
            "The teacher shows lesson '{lesson}', which this nn-tui does not have.",
            "老师正在展示课程“{lesson}”，本程序没有这一课。",
        ),
        "follow.held": (
            "You are following the teacher: press F7 to explore on your own.",
            "你正在跟随老师：按 F7 自己探索。",
        ),
        "follow.broke_off": (
            "On your own: this copy is yours to change. F8 rejoins the teacher.",
            "自己探索：这份副本可以随意修改。按 F8 重新跟随老师。",
        ),
        "follow.rejoined": ("Following the teacher again.", "重新跟随老师。"),
        "view.starting": (
            "Following the teacher: the lesson appears in a moment — F7 explores on your own, q quits",
            "正在跟随老师：课程马上出现 —— 按 F7 自己探索，按 q 退出",
        ),
        "follow.not_following": (
            "This nn-tui follows no teacher (start it with --follow PATH).",
            "本程序没有跟随老师（用 --follow 路径 启动）。",
        ),
        "key.break_off": ("On my own", "自己探索"),
        "key.rejoin": ("Rejoin", "跟随老师"),
        "palette.break_off": ("Explore on your own (stop following)", "自己探索（停止跟随）"),
        "palette.break_off_help": ("Your own copy of the teacher's state; F8 rejoins", "老师状态的自己的副本；F8 重新跟随"),
        "palette.rejoin": ("Rejoin the teacher", "重新跟随老师"),
        "palette.rejoin_help": ("Jump to the teacher's latest state", "跳到老师的最新状态"),
        # --- broadcasting ---
        "broadcast.on": (
            "Broadcasting to the class at {path}: students run nn-tui --follow {path}",
            "正在向全班广播（{path}）：学生运行 nn-tui --follow {path}",
        ),
        "broadcast.path_too_long": (
            "Cannot broadcast: the path {path} is too long for a socket; use a shorter one such as /tmp/class.sock.",
            "无法广播：路径 {path} 太长，不能用作套接字；请用短一些的路径，如 /tmp/class.sock。",
        ),
        "broadcast.not_a_socket": (
            "Cannot broadcast: {path} is already there and is not a socket; nothing was touched.",
            "无法广播：{path} 已存在且不是套接字；未作任何改动。",
        ),
        "broadcast.not_ours": (
            "Cannot broadcast: {path} belongs to another user.",
            "无法广播：{path} 属于其他用户。",
        ),
        "broadcast.in_use": (
            "Cannot broadcast: another teacher is broadcasting at {path}.",
            "无法广播：已有老师在 {path} 广播。",
        ),
        "broadcast.cannot_create": (
            "Cannot broadcast at {path} ({error}).",
            "无法在 {path} 广播（{error}）。",
        ),
        "broadcast.refused": (
            "This lesson's state cannot be sent to the class ({code}); the class keeps the last one.",
            "本课的状态无法发送给全班（{code}）；学生保留上一个状态。",
        ),
    }
)
