"""Why MNIST could not be loaded: a sentence for each `nn_tui.core.data.mnist.MnistError` code.

English and 简体中文. Lessons 3 and 6 both read MNIST, so both catalogues
fall back to this table (``COMMON.extend(MNIST_TEXT).extend({...})``); each
sentence follows the lesson's own "Could not load …:" prefix.
"""

from __future__ import annotations

MNIST_TEXT: dict[str, tuple[str, str]] = {
    "mnist.gzip_damaged": (
        "{file} is a damaged gzip file; download it again.",
        "{file} 是损坏的 gzip 文件；请重新下载。",
    ),
    "mnist.bad_label": (
        "{file} holds a label {label}; MNIST labels are 0 to 9.",
        "{file} 中有标签 {label}；MNIST 的标签只能是 0 到 9。",
    ),
    "mnist.truncated": (
        "{file} is truncated: its header announces {count:,} entries ({expected:,} bytes) but only "
        "{size:,} bytes are there.",
        "{file} 不完整（被截断）：文件头声明有 {count:,} 项（{expected:,} 字节），实际只有 {size:,} 字节。",
    ),
    "mnist.extra_bytes": (
        "{file} has extra bytes: its header announces {count:,} entries ({expected:,} bytes) but the file "
        "holds {size:,}.",
        "{file} 有多余的字节：文件头声明有 {count:,} 项（{expected:,} 字节），文件却有 {size:,} 字节。",
    ),
    "mnist.gzip_size": (
        "{file} is truncated or damaged: its header announces {count:,} entries ({expected:,} bytes) but its "
        "gzip trailer says {size:,} bytes.",
        "{file} 不完整或已损坏：文件头声明有 {count:,} 项（{expected:,} 字节），gzip 尾部却记录为 {size:,} 字节。",
    ),
    "mnist.extra_data": (
        "{file} has extra bytes after the {count:,} entries its header announces.",
        "{file} 在文件头声明的 {count:,} 项之后还有多余的字节。",
    ),
    "mnist.too_short": (
        "{file} is too short to be an IDX file ({size} bytes).",
        "{file} 太短，不是 IDX 文件（{size} 字节）。",
    ),
    "mnist.magic": (
        "{file} starts with the magic number {magic} where {want} was expected: it is not the right kind "
        "of IDX file.",
        "{file} 的魔数是 {magic}，应为 {want}：它不是所需类型的 IDX 文件。",
    ),
    "mnist.header_truncated": ("{file} is truncated inside its header.", "{file} 在文件头处就被截断了。"),
    "mnist.image_size": (
        "{file} holds {rows}×{cols} images; MNIST images are 28×28.",
        "{file} 中的图像是 {rows}×{cols}；MNIST 的图像是 28×28。",
    ),
    "mnist.bad_array": (
        "{file} is not an array of MNIST digits of the right shape.",
        "{file} 不是形状正确的 MNIST 数字数组。",
    ),
    "mnist.checksum": (
        "{file} is not the original {original} (its contents differ); download it again with "
        "`nn-tui data download`.",
        "{file} 不是原始的 {original}（内容不同）；请用 `nn-tui data download` 重新下载。",
    ),
    "mnist.raw_size": (
        "{file} has {size:,} bytes; the original {original} has {expected:,}, so it is truncated or not "
        "the original.",
        "{file} 有 {size:,} 字节；原始的 {original} 有 {expected:,} 字节，所以它不完整或不是原始文件。",
    ),
    "mnist.not_folder": (
        "{folder} is not a folder; give the folder that holds the four MNIST files.",
        "{folder} 不是文件夹；请给出存放四个 MNIST 文件的文件夹。",
    ),
    "mnist.missing_files": (
        "{folder} lacks {files} (.gz or unpacked); run `nn-tui data download`.",
        "{folder} 缺少 {files}（.gz 或解压后的文件）；请运行 `nn-tui data download`。",
    ),
    "mnist.count_mismatch": (
        "{images} holds {n_images:,} images but {labels} holds {n_labels:,} labels; they must match.",
        "{images} 有 {n_images:,} 张图像，但 {labels} 有 {n_labels:,} 个标签；两者必须一致。",
    ),
    "mnist.subset_damaged": (
        "the shipped MNIST subset ({file}) is damaged; reinstall nn-tui.",
        "随附的 MNIST 子集（{file}）已损坏；请重新安装 nn-tui。",
    ),
    "mnist.subset_missing": (
        "the shipped MNIST subset ({file}) is missing; reinstall nn-tui.",
        "随附的 MNIST 子集（{file}）不见了；请重新安装 nn-tui。",
    ),
}
