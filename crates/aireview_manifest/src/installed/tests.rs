use super::*;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A fresh folder under the system temp dir, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> TempDir {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("aireview-installed-{}-{n}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("create temp dir");
        TempDir(dir)
    }

    fn write(&self, rel: &str, text: &str) -> PathBuf {
        let path = self.0.join(rel);
        fs::create_dir_all(path.parent().expect("parent")).expect("create parent");
        fs::write(&path, text).expect("write");
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

const SP: &str = ".venv/lib/python3.11/site-packages";

fn fake_venv(t: &TempDir) {
    t.write(".venv/pyvenv.cfg", "home = /usr/bin\nversion = 3.11.7\n");
    // top_level.txt present
    t.write(
        &format!("{SP}/PyYAML-6.0.1.dist-info/METADATA"),
        "Metadata-Version: 2.1\nName: PyYAML\nVersion: 6.0.1\n\nName: not-a-header\n",
    );
    t.write(&format!("{SP}/PyYAML-6.0.1.dist-info/top_level.txt"), "_yaml\nyaml\n");
    t.write(
        &format!("{SP}/PyYAML-6.0.1.dist-info/RECORD"),
        "yaml/__init__.py,sha256=x,1\n_yaml/__init__.py,,\nPyYAML-6.0.1.dist-info/METADATA,,\n",
    );
    // no top_level.txt: RECORD only, with a module, a console script and a namespace
    t.write(
        &format!("{SP}/python_dateutil-2.9.0.dist-info/METADATA"),
        "Name: python-dateutil\n",
    );
    t.write(
        &format!("{SP}/python_dateutil-2.9.0.dist-info/RECORD"),
        "dateutil/__init__.py,,\ndateutil/tz/__init__.py,,\n../../../bin/dateutil-cli,,\n\
         dateutil/__pycache__/x.pyc,,\n",
    );
    t.write(
        &format!("{SP}/protobuf-5.0.dist-info/METADATA"),
        "Metadata-Version: 2.1\nName: protobuf\n",
    );
    t.write(
        &format!("{SP}/protobuf-5.0.dist-info/RECORD"),
        "google/protobuf/__init__.py,,\ngoogle/protobuf/message.py,,\ngoogle/_upb/_message.abi3.so,,\n",
    );
    t.write(
        &format!("{SP}/google_cloud_storage-2.0.dist-info/METADATA"),
        "Name: google-cloud-storage\n",
    );
    t.write(
        &format!("{SP}/google_cloud_storage-2.0.dist-info/top_level.txt"),
        "google\n",
    );
    t.write(
        &format!("{SP}/google_cloud_storage-2.0.dist-info/RECORD"),
        "google/cloud/storage/__init__.py,,\ngoogle/cloud/storage/blob.py,,\n",
    );
    t.write(&format!("{SP}/six-1.16.0.dist-info/METADATA"), "Name: six\n");
    t.write(
        &format!("{SP}/six-1.16.0.dist-info/RECORD"),
        "six.py,,\n\"six-1.16.0.dist-info/RECORD\",,\n",
    );
    // broken: no METADATA, empty Name, binary garbage
    t.write(&format!("{SP}/broken-1.0.dist-info/RECORD"), "broken/__init__.py,,\n");
    t.write(&format!("{SP}/empty-1.0.dist-info/METADATA"), "Name:   \n");
    t.write(&format!("{SP}/garbage-1.0.dist-info/METADATA"), "\u{0}\u{1}\u{fffd}");
    // legacy egg-info
    t.write(
        &format!("{SP}/oldpkg-0.1.egg-info/PKG-INFO"),
        "Metadata-Version: 1.0\nName: OldPkg\n",
    );
    t.write(&format!("{SP}/oldpkg-0.1.egg-info/top_level.txt"), "old_pkg\n");
}

#[test]
fn reads_a_fake_virtual_environment() {
    let t = TempDir::new();
    fake_venv(&t);
    let pkg = t.0.join("services/api");
    fs::create_dir_all(&pkg).expect("pkg dir");
    let env = installed_python(&pkg, &t.0, None).expect("environment found");
    assert_eq!(env.site_packages, vec![t.0.join(SP)]);
    let got: Vec<(&str, Vec<&str>)> = env
        .dists
        .iter()
        .map(|d| (d.name.as_str(), d.import_names.iter().map(String::as_str).collect()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("google-cloud-storage", vec!["google.cloud.storage"]),
            ("OldPkg", vec!["old_pkg"]),
            ("protobuf", vec!["google.protobuf"]),
            ("python-dateutil", vec!["dateutil"]),
            ("PyYAML", vec!["_yaml", "yaml"]),
            ("six", vec!["six"]),
        ]
    );
    assert_eq!(env.dists_for_import("google.protobuf.message")[0].name, "protobuf");
    assert_eq!(env.dists_for_import("yaml")[0].name, "PyYAML");
    assert!(env.dists_for_import("google").is_empty());
    assert!(env.dists_for_import("yamlx").is_empty());
    assert_eq!(env.dist("pyyaml").map(|d| d.name.as_str()), Some("PyYAML"));
    assert_eq!(
        env.dist("Python_Dateutil").map(|d| d.name.as_str()),
        Some("python-dateutil")
    );
    assert!(env.dist("broken").is_none());
}

#[test]
fn environment_discovery_order() {
    let t = TempDir::new();
    t.write("venv/pyvenv.cfg", "");
    t.write("pkg/.venv/pyvenv.cfg", "");
    t.write("other/env/not-a-venv.txt", "");
    t.write("active/lib/python3.12/site-packages/x.py", "");
    let active = t.0.join("active");
    // nearest first
    assert_eq!(
        find_python_env(&t.0.join("pkg"), &t.0, None),
        Some(t.0.join("pkg/.venv"))
    );
    assert_eq!(
        find_python_env(&t.0.join("other"), &t.0, Some(&active)),
        Some(t.0.join("venv"))
    );
    // nothing local: the caller's $VIRTUAL_ENV, if it is an environment
    let bare = TempDir::new();
    assert_eq!(find_python_env(&bare.0, &bare.0, Some(&active)), Some(active.clone()));
    assert_eq!(find_python_env(&bare.0, &bare.0, Some(&bare.0.join("missing"))), None);
    assert_eq!(find_python_env(&bare.0, &bare.0, None), None);
    assert!(installed_python(&bare.0, &bare.0, None).is_none());
    // the search stops at the project root
    assert_eq!(find_python_env(&t.0.join("other"), &t.0.join("other"), None), None);
}

#[test]
fn windows_layout_site_packages() {
    let t = TempDir::new();
    t.write("env/pyvenv.cfg", "");
    t.write(
        "env/Lib/site-packages/requests-2.0.dist-info/METADATA",
        "Name: requests\n",
    );
    t.write(
        "env/Lib/site-packages/requests-2.0.dist-info/top_level.txt",
        "requests\n",
    );
    let env = installed_python(&t.0, &t.0, None).expect("env");
    assert_eq!(env.site_packages, vec![t.0.join("env/Lib/site-packages")]);
    assert_eq!(
        env.dists,
        vec![InstalledDist {
            name: "requests".into(),
            import_names: vec!["requests".into()]
        }]
    );
}

#[test]
fn unreadable_site_packages_are_empty_not_errors() {
    let t = TempDir::new();
    assert!(read_installed_dists(&[t.0.join("nope")]).is_empty());
    assert!(site_packages_dirs(&t.0.join("nope")).is_empty());
}

#[test]
fn node_modules_nearest_first_up_to_root() {
    let t = TempDir::new();
    t.write("node_modules/lodash/package.json", "{}");
    t.write("node_modules/@types/node/package.json", "{}");
    t.write("packages/web/node_modules/lodash/package.json", "{}");
    t.write("packages/web/node_modules/@scope/pkg/package.json", "{}");
    t.write("packages/web/node_modules/no-manifest/index.js", "");
    t.write("packages/web/src/x.ts", "");
    let web = t.0.join("packages/web");
    let dirs = node_modules_dirs(&web.join("src"), &t.0);
    assert_eq!(dirs, vec![web.join("node_modules"), t.0.join("node_modules")]);
    assert_eq!(
        installed_node_package(&dirs, "lodash"),
        Some(web.join("node_modules/lodash"))
    );
    assert_eq!(
        installed_node_package(&dirs, "lodash/fp"),
        Some(web.join("node_modules/lodash"))
    );
    assert_eq!(
        installed_node_package(&dirs, "@scope/pkg/sub/path"),
        Some(web.join("node_modules/@scope/pkg"))
    );
    assert_eq!(
        installed_node_package(&dirs, "@types/node"),
        Some(t.0.join("node_modules/@types/node"))
    );
    assert_eq!(installed_node_package(&dirs, "no-manifest"), None);
    assert_eq!(installed_node_package(&dirs, "missing"), None);
    assert_eq!(installed_node_package(&dirs, "../lodash"), None);
    assert_eq!(installed_node_package(&dirs, "@scope"), None);
    // outside the project root: only the folder itself
    let elsewhere = TempDir::new();
    assert!(node_modules_dirs(&elsewhere.0, &t.0).is_empty());
}

#[test]
fn node_package_names() {
    assert_eq!(node_package_name("react"), Some("react"));
    assert_eq!(node_package_name("react-dom/client"), Some("react-dom"));
    assert_eq!(node_package_name("@mui/material/Button"), Some("@mui/material"));
    assert_eq!(node_package_name("@types/node"), Some("@types/node"));
    for bad in [
        "",
        "./x",
        "../x",
        "/abs",
        "#internal",
        "@scope",
        "@scope/",
        "@/x",
        "a\\b",
    ] {
        assert_eq!(node_package_name(bad), None, "{bad}");
    }
}

#[test]
fn metadata_and_record_parsing() {
    assert_eq!(
        metadata_name("Metadata-Version: 2.1\nName: Foo-Bar\n"),
        Some("Foo-Bar".into())
    );
    assert_eq!(metadata_name("Metadata-Version: 2.1\n\nName: body\n"), None);
    assert_eq!(
        record_paths("a/b.py,sha,1\n\"c,d.py\",x,2\n../bin/x,,\n/abs,,\n\n"),
        vec!["a/b.py", "c,d.py"]
    );
    assert_eq!(
        module_name("_cffi_backend.cpython-311-x86_64-linux-gnu.so"),
        Some("_cffi_backend")
    );
    assert_eq!(module_name("README.txt"), None);
    assert_eq!(module_name("distutils-precedence.pth"), None);
}
