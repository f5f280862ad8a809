"""Teacher mode: a lesson walked through as scripted steps, Enter = next.

- `script`: reading and checking a script (a JSON file; see SCRIPTS.md);
- `controller`: `Teacher`, which performs a script on the real lesson screen;
- `panel`: `TeacherPanel`, the big explanation docked under the lesson;
- `view`: bringing the widgets a step names (`show`) into view above the panel;
- `keys`: the app's teacher keys (Enter, Backspace, Ctrl+T, F6) and palette entries;
- `text`: their texts in English and 简体中文.
"""
