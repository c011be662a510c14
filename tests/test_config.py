"""The config is checked whole before any work: file, keys, types, ranges, columns.

Every refusal is one ``error:`` line naming the file and the key, quoting the
value given (escaped, shortened) and saying what to do; the exact lines are
asserted here, in-process through ``Config`` and through the real command line.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reportgen.config import MAX_CONFIG_BYTES, Config
from reportgen.errors import InputError

SOURCE = "c.toml"


def _refusal(text: str, tmp_path: Path) -> str:
    """The error line of a config file holding ``text`` (read through from_file, as the CLI does)."""
    path = tmp_path / SOURCE
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        Config.from_file(path)
    return caught.value.message().replace(str(path), SOURCE)


def _cli(tmp_path: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """The real command line, from tmp_path, with a tiny data file (the config fails before it is read)."""
    (tmp_path / "d.csv").write_text("not read\n")
    return subprocess.run(
        [sys.executable, "-m", "reportgen", *args], cwd=tmp_path, capture_output=True, text=True, timeout=timeout
    )


# --- 1. the target and the predictors ---------------------------------------------

TARGET_WHY = "a model that predicts its target from itself proves nothing"

COLUMN_CASES = {
    "target among extra candidates": (
        '[model]\nextra_candidates = ["video_like_count", "verified_status"]\n',
        f'error: c.toml: model.extra_candidates names "verified_status", which is model.target (remove it from model.extra_candidates; {TARGET_WHY})',
    ),
    "target among predictors": (
        '[model]\npredictors = ["claim_status", "verified_status"]\n',
        f'error: c.toml: model.predictors names "verified_status", which is model.target (remove it from model.predictors; {TARGET_WHY})',
    ),
    "a changed target among the defaults' predictors": (
        '[model]\ntarget = "claim_status"\npositive_class = "claim"\n',
        f'error: c.toml: model.predictors names "claim_status", which is model.target (remove it from model.predictors; {TARGET_WHY})',
    ),
    "a predictor twice": (
        '[model]\npredictors = ["claim_status", "video_view_count", "claim_status"]\n',
        'error: c.toml: model.predictors names "claim_status" twice (list each one once)',
    ),
    "an extra candidate twice": (
        '[model]\nextra_candidates = ["video_like_count", "video_like_count"]\n',
        'error: c.toml: model.extra_candidates names "video_like_count" twice (list each one once)',
    ),
    "an extra candidate that is a predictor": (
        '[model]\nextra_candidates = ["video_view_count"]\n',
        'error: c.toml: model.extra_candidates names "video_view_count", which is already in model.predictors '
        "(remove it from model.extra_candidates; every predictor is screened already)",
    ),
    "a predictor outside the schema, misspelt": (
        '[model]\npredictors = ["video_view_cont"]\n',
        'error: c.toml: model.predictors names "video_view_cont", which is not a column a model can use (did you mean "video_view_count"?)',
    ),
    "an id is no predictor": (
        '[model]\nextra_candidates = ["video_id"]\n',
        'error: c.toml: model.extra_candidates names "video_id", which is not a column a model can use '
        "(choose from claim_status, verified_status, author_ban_status, video_duration_sec, video_view_count, "
        "video_like_count, video_share_count, video_download_count, video_comment_count)",
    ),
    "no predictors": ("[model]\npredictors = []\n", "error: c.toml: model.predictors is empty; it needs at least 1 item (list at least 1)"),
    "a target that is not a category": (
        '[model]\ntarget = "video_view_count"\n',
        'error: c.toml: model.target must be one of "claim_status", "verified_status", "author_ban_status", not "video_view_count" '
        '(the default is target = "verified_status")',
    ),
    "a positive class the target does not have": (
        '[model]\npositive_class = "yes"\n',
        'error: c.toml: model.positive_class must be one of "not verified", "verified", not "yes" (the default is positive_class = "verified")',
    ),
}


@pytest.mark.parametrize("text, message", COLUMN_CASES.values(), ids=COLUMN_CASES.keys())
def test_the_target_and_the_predictors_are_refused_at_config_time(text, message, tmp_path):
    assert _refusal(text, tmp_path) == message


def test_the_target_as_a_candidate_exits_2_through_the_cli(tmp_path):
    (tmp_path / SOURCE).write_text('[model]\nextra_candidates = ["verified_status"]\n')
    run = _cli(tmp_path, "validate", "--data", "d.csv", "--config", SOURCE)
    assert run.returncode == 2
    assert run.stderr == (
        'error: c.toml: model.extra_candidates names "verified_status", which is model.target '
        f"(remove it from model.extra_candidates; {TARGET_WHY})\n"
    )


# --- 2, 5. the file itself ------------------------------------------------------------

GIVE_A_FILE = "give the path of a reportgen.toml, or leave out --config for the defaults"


def test_a_device_exits_2_at_once_through_the_cli(tmp_path):
    started = time.monotonic()
    run = _cli(tmp_path, "validate", "--data", "d.csv", "--config", "/dev/zero", timeout=30)
    assert (run.returncode, run.stderr) == (2, f"error: /dev/zero: config file is a character device, not a regular file ({GIVE_A_FILE})\n")
    assert time.monotonic() - started < 20


def test_a_fifo_exits_2_without_blocking_through_the_cli(tmp_path):
    os.mkfifo(tmp_path / "pipe.toml")
    # Nobody writes to the FIFO: an open() that waits for a writer would hang, and the timeout fails the test.
    run = _cli(tmp_path, "validate", "--data", "d.csv", "--config", "pipe.toml", timeout=30)
    assert (run.returncode, run.stderr) == (2, f"error: pipe.toml: config file is a FIFO, not a regular file ({GIVE_A_FILE})\n")


def test_a_directory_is_refused(tmp_path):
    with pytest.raises(InputError) as caught:
        Config.from_file(tmp_path)
    assert caught.value.message() == f"error: {tmp_path}: config file is a directory, not a regular file ({GIVE_A_FILE})"


def test_a_file_over_the_size_cap_is_refused_before_it_is_read(tmp_path, monkeypatch):
    path = tmp_path / "big.toml"
    path.write_text("# padding\n" * (MAX_CONFIG_BYTES // 10 + 1))
    monkeypatch.setattr(os, "open", lambda *a, **k: pytest.fail("opened a file over the cap"))
    with pytest.raises(InputError) as caught:
        Config.from_file(path)
    assert caught.value.message() == (
        f"error: {path}: config file is 1,048,580 bytes, over the limit of 1,048,576 "
        "(a reportgen.toml is a few hundred bytes; check the path)"
    )


def test_a_file_just_under_the_cap_is_read(tmp_path):
    path = tmp_path / "padded.toml"
    path.write_text("[model]\nseed = 7\n" + "#" * (MAX_CONFIG_BYTES - 30) + "\n")
    assert path.stat().st_size <= MAX_CONFIG_BYTES
    assert Config.from_file(path).model.seed == 7


def test_an_unreadable_config_exits_2_naming_the_path(tmp_path, monkeypatch):
    path = tmp_path / "locked.toml"
    path.write_text("[model]\nseed = 1\n")

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "open", denied)  # chmod 000 does not stop root, who runs the tests
    with pytest.raises(InputError) as caught:
        Config.from_file(path)
    assert caught.value.message() == f"error: {path}: config file cannot be read: permission denied (check its permissions)"


def test_a_path_through_a_file_exits_2_through_the_cli(tmp_path):
    run = _cli(tmp_path, "validate", "--data", "d.csv", "--config", "d.csv/reportgen.toml")
    assert (run.returncode, run.stderr) == (
        2,
        f"error: d.csv/reportgen.toml: config file cannot be read: a folder in its path is a file ({GIVE_A_FILE})\n",
    )


def test_a_missing_config_names_the_path(tmp_path):
    with pytest.raises(InputError) as caught:
        Config.from_file(tmp_path / "nowhere.toml")
    assert caught.value.message() == f"error: {tmp_path / 'nowhere.toml'}: config file not found ({GIVE_A_FILE})"


def test_invalid_utf8_exits_2_through_the_cli(tmp_path):
    (tmp_path / SOURCE).write_bytes(b'[report]\ntitle = "caf\xe9"\n')
    run = _cli(tmp_path, "validate", "--data", "d.csv", "--config", SOURCE)
    assert (run.returncode, run.stderr) == (2, "error: c.toml: config file is not UTF-8 text: byte 0xe9 at offset 21 (save it as UTF-8)\n")


def test_toml_nested_past_the_recursion_limit_is_bad_toml_not_a_crash(tmp_path):
    assert _refusal("a = " + "[" * 100_000, tmp_path) == (
        "error: c.toml: config file is not valid TOML: nested too deeply (a reportgen.toml nests two tables at most)"
    )


def test_bad_toml_names_line_and_column(tmp_path):
    assert _refusal("[model\n", tmp_path) == (
        "error: c.toml: config file is not valid TOML: Expected ']' at the end of a table declaration (at line 1, column 7) "
        "(see https://toml.io for the syntax)"
    )


# --- 3. titles --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "key, limit, why",
    [
        ("title", 120, "the one-page summary's title box holds 120 characters"),
        ("subtitle", 200, "the one-page summary's title box holds 200 characters of subtitle"),
        ("project", 80, "it heads the technical report's title page"),
    ],
)
def test_titles_have_a_length_cap(key, limit, why, tmp_path):
    assert getattr(Config.from_dict({"report": {key: "x" * limit}}).report, key) == "x" * limit
    message = _refusal(f'[report]\n{key} = "{"x" * 1_000}"\n', tmp_path)
    assert message == f'error: c.toml: report.{key} is 1,000 characters long, over the limit of {limit}: "{"x" * 58}… (shorten it; {why})'


@pytest.mark.parametrize("key", ["title", "subtitle", "project"])
@pytest.mark.parametrize("char, shown", [("\r", "\\r"), ("\n", "\\n"), ("\t", "\\t"), ("\x1b", "\\x1b"), ("\u2028", "\\u2028")])
def test_control_characters_in_titles_are_refused(key, char, shown, tmp_path):
    with pytest.raises(InputError) as caught:
        Config.from_dict({"report": {key: f"Q3{char}]0;owned"}}, source=SOURCE)
    assert caught.value.message() == (
        f'error: c.toml: report.{key} must be printable text on one line, not "Q3{shown}]0;owned" '
        "(remove line breaks, tabs and other control characters)"
    )


def test_a_huge_title_exits_2_before_any_work_through_the_cli(tmp_path):
    (tmp_path / SOURCE).write_text(f'[report]\ntitle = "{"Long " * 20_000}"\n')
    started = time.monotonic()
    run = _cli(tmp_path, "build", "--data", "d.csv", "--out", "out", "--config", SOURCE)
    assert run.returncode == 2
    shown = '"' + ("Long " * 12)[:58] + "…"
    assert run.stderr == (
        f"error: c.toml: report.title is 100,000 characters long, over the limit of 120: {shown}"
        " (shorten it; the one-page summary's title box holds 120 characters)\n"
    )
    assert time.monotonic() - started < 20
    assert not (tmp_path / "out").exists()


# --- 4, 6. every value: type, range, known key ---------------------------------------

VALUE_CASES = {
    # types
    "test_size as text": ('[model]\ntest_size = "0.3"\n', 'model.test_size must be a number, not the text "0.3" (write it as test_size = 0.3)'),
    "seed as text": ('[model]\nseed = "abc"\n', 'model.seed must be a whole number, not the text "abc" (write it as seed = 42, the default)'),
    "seed as a boolean": ("[model]\nseed = true\n", "model.seed must be a whole number, not the boolean true (write it as seed = 42, the default)"),
    "seed as a float": ("[model]\nseed = 4.0\n", "model.seed must be a whole number, not the number 4.0 (write it as seed = 42, the default)"),
    "alpha as a boolean": ("[checks]\nalpha = false\n", "checks.alpha must be a number, not the boolean false (write it as alpha = 0.05, the default)"),
    "threshold nan": ("[model]\nthreshold = nan\n", "model.threshold must be a finite number, not nan (the default is threshold = 0.5)"),
    "vif_limit inf": ("[checks]\nvif_limit = inf\n", "checks.vif_limit must be a finite number, not inf (the default is vif_limit = 5.0)"),
    "title as a number": ("[report]\ntitle = 2025\n", 'report.title must be text in quotes, not the number 2025 (write it as title = "2025")'),
    "predictors as text": (
        '[model]\npredictors = "claim_status"\n',
        'model.predictors must be a list of text in brackets, not the text "claim_status" (write it as predictors = ["claim_status"])',
    ),
    "a predictor as a number": ("[model]\npredictors = [3]\n", "model.predictors[0] must be text in quotes, not the number 3 (write every item as text in quotes)"),
    "audience addresses as one string": (
        '[delivery.audiences]\nleadership = "ceo@example.com"\n',
        'delivery.audiences.leadership must be a list of text in brackets, not the text "ceo@example.com" '
        '(write it as leadership = ["ceo@example.com"])',
    ),
    "an address with a line break": (
        '[delivery.audiences]\nops = ["a@example.com\\r\\nBcc: evil@attacker.test"]\n',
        'delivery.audiences.ops[0] must be printable text on one line, not "a@example.com\\r\\nBcc: evil@attacker.test" '
        "(remove line breaks, tabs and other control characters)",
    ),
    "audiences as a value": ('[delivery]\naudiences = "all"\n', 'delivery.audiences must be a table, not the text "all" (write it as a [delivery.audiences] section of key = value lines)'),
    "a section as a value": ("model = 3\n", "model must be a table, not the number 3 (write it as a [model] section of key = value lines)"),
    # ranges
    "test_size too big": ("[model]\ntest_size = 0.7\n", "model.test_size must be at least 0.05 and at most 0.5, not 0.7 (the default is test_size = 0.25)"),
    "test_size zero": ("[model]\ntest_size = 0\n", "model.test_size must be at least 0.05 and at most 0.5, not 0 (the default is test_size = 0.25)"),
    "threshold one": ("[model]\nthreshold = 1\n", "model.threshold must be above 0 and below 1, not 1 (the default is threshold = 0.5)"),
    "threshold zero": ("[model]\nthreshold = 0.0\n", "model.threshold must be above 0 and below 1, not 0.0 (the default is threshold = 0.5)"),
    "seed negative": ("[model]\nseed = -1\n", "model.seed must be at least 0 and below 4294967296, not -1 (scikit-learn takes seeds below 2**32; the default is seed = 42)"),
    "seed 2**32": ("[model]\nseed = 4294967296\n", "model.seed must be at least 0 and below 4294967296, not 4294967296 (scikit-learn takes seeds below 2**32; the default is seed = 42)"),
    "vif_limit negative": ("[checks]\nvif_limit = -1\n", "checks.vif_limit must be above 1, not -1 (every VIF is at least 1, so a limit of 1 or less flags every predictor; the default is vif_limit = 5.0)"),
    "vif_limit one": ("[checks]\nvif_limit = 1\n", "checks.vif_limit must be above 1, not 1 (every VIF is at least 1, so a limit of 1 or less flags every predictor; the default is vif_limit = 5.0)"),
    "vif_severe under vif_limit": (
        "[checks]\nvif_limit = 8\nvif_severe = 6\n",
        "checks.vif_severe must be at least checks.vif_limit (8.0), not 6 (the default is vif_severe = 10.0)",
    ),
    "vif_severe under the default vif_limit": ("[checks]\nvif_severe = 4.5\n", "checks.vif_severe must be at least checks.vif_limit (5.0), not 4.5 (the default is vif_severe = 10.0)"),
    "correlation_limit one": ("[checks]\ncorrelation_limit = 1\n", "checks.correlation_limit must be above 0 and below 1, not 1 (the default is correlation_limit = 0.7)"),
    "alpha seven": ("[checks]\nalpha = 7\n", "checks.alpha must be above 0 and at most 0.5, not 7 (the default is alpha = 0.05)"),
    "alpha zero": ("[checks]\nalpha = 0\n", "checks.alpha must be above 0 and at most 0.5, not 0 (the default is alpha = 0.05)"),
    "min events negative": ("[checks]\nmin_events_per_predictor = -5\n", "checks.min_events_per_predictor must be at least 1, not -5 (the default is min_events_per_predictor = 10)"),
    "good events under min events": (
        "[checks]\nmin_events_per_predictor = 30\n",
        "checks.good_events_per_predictor must be at least checks.min_events_per_predictor (30), not 20 (the default is good_events_per_predictor = 20)",
    ),
    "imbalance share over a half": ("[checks]\nimbalance_warn_share = 0.6\n", "checks.imbalance_warn_share must be above 0 and at most 0.5, not 0.6 (the default is imbalance_warn_share = 0.2)"),
    "balancing misspelt": (
        '[model]\nbalancing = "upsampel"\n',
        'model.balancing must be one of "class_weight", "upsample", "none", not "upsampel" (did you mean "upsample"?)',
    ),
    "audience unknown": (
        '[report]\naudience = "board"\n',
        'report.audience must be one of "leadership", "technical", not "board" (the default is audience = "leadership")',
    ),
    # unknown names, anywhere
    "a misspelt section": ("[modle]\nseed = 1\n", "unknown section [modle] (did you mean [model]?)"),
    "a misspelt key in [model]": ("[model]\ntset_size = 0.3\n", "unknown key model.tset_size (did you mean model.test_size?)"),
    "a misspelt key in [report]": ('[report]\ntitel = "x"\n', "unknown key report.titel (did you mean report.title?)"),
    "a misspelt key in [checks]": ("[checks]\nmin_events = -5\n", "unknown key checks.min_events (did you mean checks.min_events_per_predictor?)"),
    "a misspelt key in [delivery]": ('[delivery]\naudence = ["a@example.com"]\n', "unknown key delivery.audence (did you mean delivery.audiences?)"),
    "a misspelt [delivery.audiences]": ('[delivery.audience]\nops = ["a@example.com"]\n', "unknown section [delivery.audience] (did you mean [delivery.audiences]?)"),
    "an unknown key in [delivery]": ('[delivery]\nsmtp_host = "mail"\n', "unknown key delivery.smtp_host (known keys in [delivery]: audiences)"),
    "a key outside its section": ("seed = 1\n", "unknown key seed (did you mean model.seed? put it under [model])"),
    "an unknown section": ("[zzz]\n", "unknown section [zzz] (known sections: project, report, model, checks, delivery, data, studies)"),
}


@pytest.mark.parametrize("text, message", VALUE_CASES.values(), ids=VALUE_CASES.keys())
def test_every_value_is_checked_with_the_key_named(text, message, tmp_path):
    assert _refusal(text, tmp_path) == f"error: c.toml: {message}"


def test_long_bad_values_are_escaped_and_cut_to_60_characters():
    with pytest.raises(InputError) as caught:
        Config.from_dict({"report": {"title": "\x1b]0;owned\x07" + "x" * 500}}, source=SOURCE)
    shown = '"\\x1b]0;owned\\x07' + "x" * 42 + "…"
    assert len(shown) == 60
    assert caught.value.message() == f"error: c.toml: report.title must be printable text on one line, not {shown} (remove line breaks, tabs and other control characters)"


@pytest.mark.parametrize("text, message", [*COLUMN_CASES.values(), *VALUE_CASES.values()])
def test_every_refusal_is_one_line_with_file_key_and_hint(text, message, tmp_path):
    line = _refusal(text, tmp_path)
    assert "\n" not in line and line.startswith("error: c.toml: ")
    assert line.endswith(")") and " (" in line  # the hint
    assert any(part in line for part in ("model.", "checks.", "report.", "delivery.", "[", "key "))


def test_ints_are_accepted_for_floats_and_stored_as_floats():
    config = Config.from_dict({"checks": {"vif_limit": 4, "vif_severe": 8, "alpha": 0.1}, "model": {"test_size": 0.5, "threshold": 0.3}})
    assert (config.checks.vif_limit, config.checks.vif_severe) == (4.0, 8.0)
    assert all(type(v) is float for v in (config.checks.vif_limit, config.checks.vif_severe))
    assert Config.from_dict({"model": {"test_size": 0.05}}).model.test_size == 0.05  # both ends of the range are allowed


def test_the_defaults_and_the_readme_example_pass(tmp_path):
    assert Config.from_dict({}) == Config()
    Config().validate("defaults")
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    example = readme.split("### Configuration", 1)[1].split("```toml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "reportgen.toml"
    path.write_text(example, encoding="utf-8")
    config = Config.from_file(path)
    assert config.delivery.audiences == {"leadership": ("ceo@example.com", "ops-lead@example.com")}
    assert config.model.predictors == Config().model.predictors


def test_a_config_changed_in_code_is_checked_by_validate():
    import dataclasses

    config = Config()
    bad = dataclasses.replace(config, checks=dataclasses.replace(config.checks, alpha=7))
    with pytest.raises(InputError) as caught:
        bad.validate("code")
    assert caught.value.message() == "error: code: checks.alpha must be above 0 and at most 0.5, not 7 (the default is alpha = 0.05)"


# --- command-line overrides ------------------------------------------------------------


def test_overrides_go_through_the_same_checks():
    assert Config().with_overrides(seed=0, audience="technical").model.seed == 0
    with pytest.raises(InputError) as caught:
        Config().with_overrides(seed=-1)
    assert caught.value.message() == "error: --seed: model.seed must be at least 0 and below 4294967296, not -1 (scikit-learn takes seeds below 2**32; the default is seed = 42)"
    with pytest.raises(InputError) as caught:
        Config().with_overrides(audience="board")
    assert caught.value.message() == 'error: --audience: report.audience must be one of "leadership", "technical", not "board" (the default is audience = "leadership")'


def test_seed_minus_one_exits_2_through_the_cli(tmp_path):
    run = _cli(tmp_path, "build", "--data", "d.csv", "--out", "out", "--seed", "-1")
    assert (run.returncode, run.stderr) == (
        2,
        "error: --seed: model.seed must be at least 0 and below 4294967296, not -1 (scikit-learn takes seeds below 2**32; the default is seed = 42)\n",
    )
    assert not (tmp_path / "out").exists()


def test_test_size_as_text_exits_2_through_the_cli(tmp_path):
    (tmp_path / SOURCE).write_text('[model]\ntest_size = "0.3"\n')
    run = _cli(tmp_path, "validate", "--data", "d.csv", "--config", SOURCE)
    assert (run.returncode, run.stderr) == (2, 'error: c.toml: model.test_size must be a number, not the text "0.3" (write it as test_size = 0.3)\n')


def test_loading_the_config_imports_nothing_heavy():
    code = "import sys, reportgen.config; print(sorted(m for m in ('pandas', 'numpy', 'pydantic', 'difflib') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
