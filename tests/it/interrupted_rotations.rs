//! End to end: a rotation that an earlier apply started and never saw through, as the secrets
//! file records it. When the registry shows it generated a password, nobody has that password:
//! `apply` rotates the slot again and says why, and refuses a saved plan that does not. When
//! the registry shows it never took effect, it is forgotten.
//!
//! The interrupted apply is set up by hand, exactly as one leaves things: the secrets file says
//! the rotation started, and the password is generated behind scopeform's back.

use crate::support;

use chrono::{DateTime, DurationRound, TimeDelta, Utc};
use serde_json::{Value, json};
use support::{Emulator, REGISTRY, RESOURCE_GROUP, Run, SUBSCRIPTION, config_dir};

const CONFIG: &str = "registry:
  name: myregistry
  subscription: 00000000-0000-0000-0000-000000000000
  resource_group: myresourcegroup
tokens:
  ci-push:
    scope_map: _repositories_push
    passwords:
      password1: { expires_in: 30d, rotate_before: 7d }
";

struct Setup {
    emulator: Emulator,
    dir: tempfile::TempDir,
}

impl Setup {
    /// The token applied with its password saved, as a first successful apply leaves it.
    fn applied() -> Self {
        let setup = Self {
            emulator: Emulator::start(),
            dir: config_dir(&[("config.yaml", CONFIG)]),
        };
        setup.apply().expect_code(0);
        setup
    }

    fn secrets_path(&self) -> std::path::PathBuf {
        self.dir.path().join("secrets.json")
    }

    fn secrets(&self) -> Value {
        serde_json::from_str(&std::fs::read_to_string(self.secrets_path()).unwrap()).unwrap()
    }

    fn apply(&self) -> Run {
        self.emulator
            .scopeform()
            .args(["apply"])
            .arg_path(self.dir.path().join("config.yaml"))
            .args(["--auto-approve", "--secrets-out"])
            .arg_path(self.secrets_path())
            .run()
    }

    /// What a killed apply leaves in the secrets file: the rotation started at `started`.
    fn record_interrupted_rotation(&self, started: DateTime<Utc>) {
        let mut secrets = self.secrets();
        secrets["ci-push"]["rotations_in_progress"] = json!({
            "password1": {"started": started.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)}
        });
        std::fs::write(self.secrets_path(), secrets.to_string()).unwrap();
    }

    /// `generateCredentials` for password1, answered to nobody.
    fn generate_behind_scopeforms_back(&self, expires_in: TimeDelta) {
        let token_id = format!(
            "/subscriptions/{SUBSCRIPTION}/resourceGroups/{RESOURCE_GROUP}/providers/Microsoft.ContainerRegistry/registries/{REGISTRY}/tokens/ci-push"
        );
        let expiry = (Utc::now() + expires_in).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let (status, _) = self.emulator.arm(
            "POST",
            "/generateCredentials",
            Some(json!({"tokenId": token_id, "name": "password1", "expiry": expiry})),
        );
        assert_eq!(status, 200);
    }

    fn live_creation_time(&self) -> DateTime<Utc> {
        let registry = self.emulator.registry();
        let token = registry["tokens"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["name"] == "ci-push")
            .unwrap()
            .clone();
        token["passwords"][0]["creation_time"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap()
    }

    fn saved_creation_time(&self) -> DateTime<Utc> {
        self.secrets()["ci-push"]["password1"]["creation_time"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap()
    }

    /// `plan --out`, as a pull request job saves it.
    fn save_plan(&self) -> std::path::PathBuf {
        let path = self.dir.path().join("plan.json");
        self.emulator
            .scopeform()
            .args(["plan", "--out"])
            .arg_path(&path)
            .arg_path(self.dir.path().join("config.yaml"))
            .run()
            .expect_code(0);
        path
    }

    /// `plan --secrets FILE --out`: the plan reads the rotations the file records.
    fn save_plan_reading_secrets(&self) -> (std::path::PathBuf, Run) {
        let path = self.dir.path().join("plan.json");
        let run = self
            .emulator
            .scopeform()
            .args(["plan", "--out"])
            .arg_path(&path)
            .args(["--secrets"])
            .arg_path(self.secrets_path())
            .arg_path(self.dir.path().join("config.yaml"))
            .run()
            .expect_code(0);
        (path, run)
    }

    fn apply_saved(&self, plan: &std::path::Path) -> Run {
        self.emulator
            .scopeform()
            .args(["apply", "--plan"])
            .arg_path(plan)
            .args(["--secrets-out"])
            .arg_path(self.secrets_path())
            .run()
    }
}

/// Now, in whole seconds rounded down, as the secrets file records a start.
fn started_now() -> DateTime<Utc> {
    Utc::now().duration_trunc(TimeDelta::seconds(1)).unwrap()
}

fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[test]
fn a_password_an_interrupted_apply_generated_is_rotated_again_and_the_user_told_why() {
    let setup = Setup::applied();
    let started = started_now();
    setup.record_interrupted_rotation(started);
    setup.generate_behind_scopeforms_back(TimeDelta::days(30));
    let lost = setup.live_creation_time();
    assert!(lost > setup.saved_creation_time());

    // A saved plan is made without the secrets file: it sees nothing to do, and applying it
    // would leave the lost password in place. Refused, with what to run instead.
    let plan = setup.save_plan();
    let refused = setup.apply_saved(&plan).expect_code(1);
    let secrets = setup.secrets_path().display().to_string();
    assert_eq!(
        refused.stderr,
        format!(
            "error: password1 of ci-push was generated by an interrupted apply at {} and never \
             saved; the saved plan does not rotate it again, so nothing was changed\n  \
             hint: save the plan with `scopeform plan PATH… --secrets {secrets} --out FILE`, \
             or run `scopeform apply PATH… --secrets-out {secrets}`: either plan rotates it \
             again and shows why before anything changes\n",
            stamp(started)
        ),
        "{refused}"
    );
    assert_eq!(setup.live_creation_time(), lost, "nothing was changed");

    // `drift`, given the file, tells the lost password from one rotated by someone else.
    let drift = setup
        .emulator
        .scopeform()
        .args(["drift", "--secrets"])
        .arg_path(setup.secrets_path())
        .arg_path(setup.dir.path().join("config.yaml"))
        .run()
        .expect_code(2);
    assert!(
        drift.stdout.contains(&format!(
            "note: password1 of ci-push was generated by an interrupted apply at {} and never \
             saved; `apply` with this secrets file rotates it again\n",
            stamp(started)
        )),
        "{drift}"
    );

    let run = setup.apply().expect_code(0);
    assert!(
        run.stdout.contains(&format!(
            "  # token.ci-push.password1 will be rotated (a new password is generated)\n  \
             # (password1 of ci-push was generated by an interrupted apply at {} and never \
             saved; rotating it again)\n",
            stamp(started)
        )),
        "{run}"
    );
    assert_eq!(
        run.stderr,
        format!(
            "password1 of ci-push was generated by an interrupted apply at {} and never saved; \
             rotating it again.\n",
            stamp(started)
        ),
        "{run}"
    );
    // The password in the registry is the one in the file, and the rotation is over.
    assert!(setup.live_creation_time() > lost);
    assert_eq!(setup.saved_creation_time(), setup.live_creation_time());
    assert_eq!(
        setup.secrets()["ci-push"].get("rotations_in_progress"),
        None
    );

    let again = setup.apply().expect_code(0);
    assert!(again.stdout.contains("No changes."), "{again}");
    assert_eq!(again.stderr, "", "{again}");
}

#[test]
fn a_saved_plan_that_rotates_the_lost_password_is_applied() {
    let setup = Setup::applied();
    let started = started_now();
    setup.record_interrupted_rotation(started);
    // Generated with an expiry within rotate_before: the plan rotates it anyway.
    setup.generate_behind_scopeforms_back(TimeDelta::days(1));
    let plan = setup.save_plan();
    let run = setup.apply_saved(&plan).expect_code(0);
    assert_eq!(
        run.stderr,
        format!(
            "password1 of ci-push was generated by an interrupted apply at {} and never saved; \
             rotating it again.\n",
            stamp(started)
        ),
        "{run}"
    );
    assert_eq!(setup.saved_creation_time(), setup.live_creation_time());
    assert_eq!(
        setup.secrets()["ci-push"].get("rotations_in_progress"),
        None
    );
}

#[test]
fn a_rotation_that_never_took_effect_is_forgotten() {
    let setup = Setup::applied();
    let saved = setup.saved_creation_time();
    // Started after the live password was created: the request never reached the registry.
    setup.record_interrupted_rotation(setup.live_creation_time() + TimeDelta::seconds(1));
    let run = setup.apply().expect_code(0);
    assert!(run.stdout.contains("No changes."), "{run}");
    assert_eq!(run.stderr, "", "{run}");
    assert_eq!(
        setup.secrets()["ci-push"].get("rotations_in_progress"),
        None
    );
    assert_eq!(setup.saved_creation_time(), saved);
}

#[test]
fn a_plan_given_the_secrets_file_shows_the_rotation_and_its_saved_plan_applies() {
    let setup = Setup::applied();
    let started = started_now();
    setup.record_interrupted_rotation(started);
    setup.generate_behind_scopeforms_back(TimeDelta::days(30));
    let before = std::fs::read(setup.secrets_path()).unwrap();

    let (plan, run) = setup.save_plan_reading_secrets();
    assert!(
        run.stdout.contains(&format!(
            "  # token.ci-push.password1 will be rotated (a new password is generated)\n  \
             # (password1 of ci-push was generated by an interrupted apply at {} and never \
             saved; rotating it again)\n",
            stamp(started)
        )),
        "{run}"
    );
    assert_eq!(
        std::fs::read(setup.secrets_path()).unwrap(),
        before,
        "plan only reads the secrets file"
    );

    setup.apply_saved(&plan).expect_code(0);
    assert_eq!(setup.saved_creation_time(), setup.live_creation_time());
    assert_eq!(
        setup.secrets()["ci-push"].get("rotations_in_progress"),
        None
    );
}
