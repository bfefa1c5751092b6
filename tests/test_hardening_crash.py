"""Crashes and concurrency: a killed training run never leaves a broken model; writers take turns; threads agree.

The training runs are real subprocesses killed with SIGKILL, so no cleanup code of theirs runs:
what is on disk afterwards is exactly what newsclass guarantees. Temporary files a killed
writer leaves (``.model.zip.*.tmp``, ``.newsclass.lock``) are hidden, never read as a model,
and removed by the next save to the folder.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from newsclass import TopicClassifier, classify, load_model
from newsclass._classify import default_model
from newsclass._persist import folder_lock, read_metadata
from newsclass._train import train

from .conftest import REPOSITORY
from .invariants import check_predictions

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL and fcntl locks are POSIX")

FINAL_NAMES = ["MODEL_CARD.md", "model.zip"]
KILLS = 24
# The child trains from DATA to OUT: "once"; "pause" stops before renaming model.zip into
# place, holding the folder's lock, and says so; "loop" trains again and again; "3" three times.
CHILD = """
import os, sys, time
sys.path.insert(0, {repository!r})
mode, data, out = sys.argv[1:4]
runs = int(mode) if mode.isdigit() else 1
from newsclass._train import train
if mode == "pause":
    rename = os.replace
    def paused_rename(source, target):
        if str(target).endswith("model.zip"):
            print("renaming", flush=True)
            time.sleep(120)
        rename(source, target)
    os.replace = paused_rename
print("ready", flush=True)
while mode == "loop" or runs:
    train(data, out, min_df=1)
    runs -= 1
"""
# Imports newsclass once and trains twice into a scratch folder (so each fork starts as warm
# as the test's own timed run, and says how long a warm run took), then for each line on stdin
# forks a process that trains from DATA to OUT again and again, says its id, and reaps it when
# the test has killed it. Forking saves the two seconds of imports per kill; each training
# process is still killed whole.
FORKING_PARENT = """
import os, sys, time
sys.path.insert(0, {repository!r})
data, out = sys.argv[1:3]
from newsclass._train import train
scratch = os.path.join(os.path.dirname(out), "warm-up")
train(data, scratch, min_df=1)
started = time.perf_counter()
train(data, scratch, min_df=1)
print("ready", flush=True)
print(time.perf_counter() - started, flush=True)
for _command in sys.stdin:
    pid = os.fork()
    if pid == 0:
        try:
            while True:
                train(data, out, min_df=1)
        finally:
            os._exit(1)
    print(pid, flush=True)
    os.waitpid(pid, 0)
    print("reaped", flush=True)
"""


def write_training_csv(path, *, topic: str, rows: int = 300) -> None:
    """A few hundred generated rows: small enough to train in a fraction of a second."""
    generator = random.Random(topic)
    words = {
        "energy": "oil gas pipeline refinery crude power grid wind solar coal barrel output".split(),
        "justice": "court judge jury trial verdict police prison appeal lawyer fraud charge sentence".split(),
        "sport": "match goal striker cup league coach season final score team stadium win".split(),
    }
    filler = "the a on in after before said today officials report new week".split()
    lines = ["text,labels"]
    for row in range(rows):
        label = ("energy", "justice", topic)[row % 3]
        text = " ".join(generator.choice(words[label] + filler) for _ in range(12))
        lines.append(f"{text} {row},{label}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def datasets(tmp_path_factory):
    """Two training files and the complete model folder each gives, trained in this process."""
    folder = tmp_path_factory.mktemp("datasets")
    result = {}
    for name in ("old", "new"):
        data = folder / f"{name}.csv"
        write_training_csv(data, topic="sport" if name == "old" else "energy")
        started = time.perf_counter()
        train(data, folder / name / "model", min_df=1)  # the card names the folder: "model", as in the tests
        result[f"{name} seconds"] = time.perf_counter() - started
        result[name] = (data, {file: (folder / name / "model" / file).read_bytes() for file in FINAL_NAMES})
    assert result["old"][1]["model.zip"] != result["new"][1]["model.zip"]
    return result


def start_child(tmp_path, mode, data, out, *, script=CHILD):
    path = tmp_path / "child.py"
    path.write_text(script.format(repository=str(REPOSITORY)), encoding="utf-8")
    child = subprocess.Popen(
        [sys.executable, str(path), *([mode] if mode else []), str(data), str(out)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"},  # forking a threaded BLAS is unsafe
    )
    assert child.stdout.readline().strip() == "ready", child.stderr.read()
    return child


def assert_whole_model_from(folder, complete: dict[str, dict[str, bytes]]) -> str:
    """The model at ``folder`` is byte for byte one of ``complete``'s, loads, and its card is its own."""
    model = (folder / "model.zip").read_bytes()
    [source] = [name for name, files in complete.items() if files["model.zip"] == model]
    assert (folder / "MODEL_CARD.md").read_bytes() in {files["MODEL_CARD.md"] for files in complete.values()}
    load_model(folder)  # checksums, shapes, values
    return source


def leftovers(folder) -> list[str]:
    return sorted(path.name for path in folder.iterdir() if path.name not in FINAL_NAMES)


def install_previous_model(folder, files: dict[str, bytes]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)


def test_killed_before_the_rename_the_previous_model_stays_and_the_lock_is_released(tmp_path, datasets):
    (_old_data, old_files), (new_data, new_files) = datasets["old"], datasets["new"]
    out = tmp_path / "model"
    install_previous_model(out, old_files)
    child = start_child(tmp_path, "pause", new_data, out)
    assert child.stdout.readline().strip() == "renaming"
    # The child holds the folder's lock: a writer here must wait until the kill.
    acquired = threading.Event()

    def wait_for_lock():
        with folder_lock(out):
            acquired.set()

    waiter = threading.Thread(target=wait_for_lock)
    waiter.start()
    assert not acquired.wait(0.5), "the lock was not held by the writing process"
    [temporary] = [name for name in leftovers(out) if name.endswith(".tmp")]
    assert (out / temporary).read_bytes() == new_files["model.zip"]  # whole, but not in place
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert acquired.wait(10), "the lock of a killed process was not released"
    waiter.join()
    assert {name: (out / name).read_bytes() for name in FINAL_NAMES} == old_files
    train(new_data, out, min_df=1)  # the next save removes what the killed one left
    assert {name: (out / name).read_bytes() for name in FINAL_NAMES} == new_files
    assert leftovers(out) == []


@pytest.mark.slow
def test_sigkill_at_random_moments_never_leaves_a_broken_model(tmp_path, datasets):
    (_old_data, old_files), (new_data, new_files) = datasets["old"], datasets["new"]
    complete = {"old": old_files, "new": new_files}
    out = tmp_path / "model"
    install_previous_model(out, old_files)
    generator = random.Random(7)
    parent = start_child(tmp_path, "", new_data, out, script=FORKING_PARENT)
    # In a long test session this process may have timed a faster run than a forked child makes.
    one_run = max(datasets["new seconds"], float(parent.stdout.readline()))
    outcomes = {"old": 0, "new": 0}
    left = {"temporary file": 0, "lock file": 0}
    try:
        for _kill in range(KILLS):
            shutil.rmtree(out, ignore_errors=True)
            install_previous_model(out, old_files)
            parent.stdin.write("go\n")
            parent.stdin.flush()
            pid = int(parent.stdout.readline())
            # Anywhere from the start of fitting to the second run's save: fitting, writing, renaming.
            time.sleep(generator.uniform(0, 1.6 * one_run))
            os.kill(pid, signal.SIGKILL)
            assert parent.stdout.readline().strip() == "reaped"
            outcomes[assert_whole_model_from(out, complete)] += 1
            found = leftovers(out)
            assert all(name.startswith(".model.zip.") or name.startswith(".MODEL_CARD.md.") or name == ".newsclass.lock" for name in found), found
            left["temporary file"] += any(name.endswith(".tmp") for name in found)
            left["lock file"] += ".newsclass.lock" in found
    finally:
        parent.kill()
        parent.wait()
    print(f"{KILLS} kills: previous model kept {outcomes['old']} times, new model in place {outcomes['new']} times; "
          f"left beside them: a temporary file {left['temporary file']} times, the lock file {left['lock file']} times")
    assert outcomes["old"] and outcomes["new"]
    train(new_data, out, min_df=1)
    assert leftovers(out) == []


@pytest.mark.slow
def test_two_processes_training_to_one_folder_leave_one_whole_model(tmp_path, datasets):
    (old_data, old_files), (new_data, new_files) = datasets["old"], datasets["new"]
    out = tmp_path / "model"
    first = start_child(tmp_path, "3", old_data, out)
    second = start_child(tmp_path, "3", new_data, out)
    for child in (first, second):
        assert child.wait(60) == 0, child.stderr.read()
    source = assert_whole_model_from(out, {"old": old_files, "new": new_files})
    # The card is the one written with that model, not the other process's.
    assert (out / "MODEL_CARD.md").read_bytes() == {"old": old_files, "new": new_files}[source]["MODEL_CARD.md"]
    assert leftovers(out) == []


def test_writers_in_one_folder_take_turns(tmp_path):
    events = []

    def writer(name):
        for _ in range(20):
            with folder_lock(tmp_path):
                events.append(f"{name} start")
                time.sleep(0.001)
                events.append(f"{name} end")

    threads = [threading.Thread(target=writer, args=(name,)) for name in "ABCD"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(events) == 160
    for start, end in zip(events[::2], events[1::2]):
        assert start.endswith("start") and end == start.replace("start", "end")
    assert leftovers(tmp_path) == []


def test_a_thread_can_take_a_lock_it_holds(tmp_path):
    with folder_lock(tmp_path), folder_lock(tmp_path / "."):
        assert (tmp_path / ".newsclass.lock").exists()
    assert not (tmp_path / ".newsclass.lock").exists()


# --- threads sharing a model ------------------------------------------------------------------

THREAD_TEXTS = [
    f"{subject} {event} {detail}"
    for subject in ("Oil prices", "The court", "Voters", "The central bank", "Floods")
    for event in ("rose sharply", "ruled on Monday", "went to the polls", "cut interest rates", "hit the coast")
    for detail in ("after the cartel cut output.", "as the jury returned a verdict.", "amid fears of inflation.")
]


@pytest.mark.parametrize("which", ["small", "default"])
def test_eight_threads_on_one_model_give_the_sequential_results(which):
    if which == "small":
        model = TopicClassifier(min_df=1, max_df=1.0, validation_fraction=0).fit(
            THREAD_TEXTS, [["energy"] if "Oil" in text else ["justice"] if "court" in text else [] for text in THREAD_TEXTS]
        )
    else:
        model = default_model()
    expected_batch = [p.to_dict() for p in classify(THREAD_TEXTS, model=model, explain=True)]
    expected_single = [classify(text, model=model).to_dict() for text in THREAD_TEXTS[:10]]
    check_predictions(classify(THREAD_TEXTS, model=model), [str(label) for label in model.classes_])
    barrier = threading.Barrier(8)

    def work(seed):
        barrier.wait()
        order = list(range(len(THREAD_TEXTS)))
        random.Random(seed).shuffle(order)
        shuffled = [p.to_dict() for p in classify([THREAD_TEXTS[i] for i in order], model=model, explain=True)]
        batch = [None] * len(order)
        for position, index in enumerate(order):
            batch[index] = shuffled[position]
        single = [classify(text, model=model).to_dict() for text in THREAD_TEXTS[:10]]
        return batch, single

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(work, range(16)))
    for batch, single in results:
        assert batch == expected_batch
        assert single == expected_single


def test_loaded_model_metadata_is_readable_while_another_thread_saves(tmp_path, datasets):
    # Readers of a model folder see a whole file at every moment of a save.
    (_old_data, old_files), (new_data, _new_files) = datasets["old"], datasets["new"]
    out = tmp_path / "model"
    install_previous_model(out, old_files)
    stop = threading.Event()
    errors = []

    def read_repeatedly():
        while not stop.is_set():
            try:
                with zipfile.ZipFile(out / "model.zip") as archive:
                    json.loads(archive.read("model.json"))
                read_metadata(out)
            except Exception as error:  # pragma: no cover - reported below
                errors.append(error)

    reader = threading.Thread(target=read_repeatedly)
    reader.start()
    try:
        for _ in range(2):
            train(new_data, out, min_df=1)
    finally:
        stop.set()
        reader.join()
    assert errors == []
    assert np.isfinite(load_model(out).coef_).all()
    assert os.listdir(out) and leftovers(out) == []
