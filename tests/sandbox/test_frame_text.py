"""How the workers turn a run's output bytes into text, pinned before the framed channel's reader
was shared by both workers: a character cut between two frames comes whole, one cut short
as the run ends shows as U+FFFD on its own stream (the decoders' tails), and the cap counts bytes.
"""

from __future__ import annotations

from sandbox.worker import FRAME, FRAME_DATA, MARK, STDERR, STDOUT, FrameReader


def test_a_character_cut_between_two_frames_comes_whole(run_in):
    """A write longer than a frame, its last character's two bytes in two frames, on each stream."""
    pad = (
        FRAME_DATA - 1
    )  # "é" then takes the last byte of the first frame and the first of the next
    r = run_in(
        f"""
        import sys
        sys.stdout.buffer.write(("o" * {pad} + "é!").encode())
        sys.stderr.buffer.write(("e" * {pad} + "é?").encode())
        """
    )
    assert r.status == "ok", r.error
    assert r.stdout == "o" * pad + "é!"
    assert r.stderr == "e" * pad + "é?"


def test_characters_cut_short_at_the_end_show_on_their_stream(run_in):
    """Bytes of an unfinished character left as the run ends, in the frames of both streams:
    each stream ends with one U+FFFD, nothing is lost or moved to the other stream."""
    r = run_in(
        """
        import sys
        sys.stdout.buffer.write(b"out \\xe2\\x82")
        sys.stderr.buffer.write(b"err \\xe2")
        """
    )
    assert r.status == "ok", r.error
    assert r.stdout == "out \ufffd"
    assert r.stderr == "err \ufffd"


def test_characters_cut_short_on_fd_1_and_2_show_on_their_stream(run_in):
    """The same through fd 1 and fd 2 themselves (C-level output), each decoded on its own."""
    r = run_in(
        """
        import os
        os.write(1, b"one \\xf0\\x9f")
        os.write(2, b"two \\xc3")
        """
    )
    assert r.status == "ok", r.error
    assert r.stdout == "one \ufffd"
    assert r.stderr == "two \ufffd"


def test_a_flood_of_two_byte_characters_is_capped_in_bytes(run_in):
    """The cap counts output's UTF-8 bytes, not characters, in both workers."""
    r = run_in(
        """
        while True:
            print("é" * 40)
        """
    )
    assert r.output_truncated
    size = len(r.stdout.encode())
    assert 1024 * 1024 - 4096 <= size <= 1024 * 1024


def frame(kind: int, data: bytes) -> bytes:
    return FRAME.pack(kind, len(data)) + data


def test_the_frame_reader_ends_a_batch_at_each_end_mark():
    """Read in cuts that split a frame's head and a character: each stream is decoded on its
    own; an end mark ends a batch with the characters cut short, and the next batch starts
    afresh. (The in-process worker marks a run's output done there.)"""
    channel = (
        frame(STDOUT, "é".encode()[:1])
        + frame(STDERR, b"warn\n")
        + frame(STDOUT, "é".encode()[1:] + b"\xe2")
        + frame(MARK, b"")
        + frame(STDERR, b"next\n")
    )
    reader = FrameReader()
    batches = [
        batch for cut in (channel[:5], channel[5:10], channel[10:]) for batch in reader.feed(cut)
    ]
    assert batches == [
        ([], False),
        ([], False),
        ([("stderr", "warn\n"), ("stdout", "é"), ("stdout", "\ufffd")], True),
        ([("stderr", "next\n")], False),
    ]
    assert FrameReader(marks=False).feed(channel) == [
        ([("stderr", "warn\n"), ("stdout", "é"), ("stderr", "next\n")], False)
    ]
