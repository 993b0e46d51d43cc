use super::*;

const V: fn(u8) -> PyVersion = |minor| PyVersion(3, minor);

#[test]
fn generated_tables_are_sorted_for_binary_search() {
    let names: Vec<&str> = python_stdlib::PYTHON_STDLIB.iter().map(|r| r.0).collect();
    assert!(
        names.windows(2).all(|w| w[0] < w[1]),
        "stdlib table unsorted or duplicated"
    );
    let imports: Vec<&str> = import_names::IMPORT_NAMES.iter().map(|r| r.0).collect();
    assert!(
        imports.windows(2).all(|w| w[0] < w[1]),
        "import-name table unsorted or duplicated"
    );
    for table in [
        node_builtins::NODE_BUILTINS,
        node_builtins::NODE_PREFIX_ONLY,
        import_names::POPULAR_PYTHON,
        import_names::POPULAR_NPM,
        import_names::POPULAR_CRATES,
    ] {
        assert!(
            table.windows(2).all(|w| w[0] < w[1]),
            "table unsorted: {:?}",
            &table[..3]
        );
    }
}

#[test]
fn stdlib_ranges() {
    assert_eq!(python_stdlib_range("os"), Some((V(8), None)));
    assert_eq!(python_stdlib_range("tomllib"), Some((V(11), None)));
    assert_eq!(python_stdlib_range("zoneinfo"), Some((V(9), None)));
    assert_eq!(python_stdlib_range("graphlib"), Some((V(9), None)));
    assert_eq!(python_stdlib_range("distutils"), Some((V(8), Some(V(11)))));
    assert_eq!(python_stdlib_range("telnetlib"), Some((V(8), Some(V(12)))));
    assert_eq!(python_stdlib_range("lib2to3"), Some((V(8), Some(V(12)))));
    assert_eq!(python_stdlib_range("annotationlib"), Some((V(14), None)));
    for private in ["_thread", "__future__", "_collections_abc", "__main__"] {
        assert!(python_stdlib_range(private).is_some(), "{private}");
    }
    assert_eq!(python_stdlib_range("os.path"), Some((V(8), None)));
    assert_eq!(python_stdlib_range("distutils.core"), Some((V(8), Some(V(11)))));
    for not_std in [
        "typing_extensions",
        "yaml",
        "requests",
        "test",
        "yaml.os",
        "",
        ".os",
        "OS",
    ] {
        assert_eq!(python_stdlib_range(not_std), None, "{not_std}");
    }
}

#[test]
fn stdlib_answers_honour_the_supported_range() {
    assert_eq!(is_python_stdlib("json", (V(8), V(14))), StdlibAnswer::Yes);
    assert_eq!(is_python_stdlib("requests", (V(8), V(14))), StdlibAnswer::No);
    assert_eq!(
        is_python_stdlib("tomllib", (V(9), V(14))),
        StdlibAnswer::NotYet { added_in: V(11) }
    );
    assert_eq!(is_python_stdlib("tomllib", (V(11), V(14))), StdlibAnswer::Yes);
    assert_eq!(
        is_python_stdlib("distutils", (V(12), V(14))),
        StdlibAnswer::Removed { in_version: V(12) }
    );
    assert_eq!(is_python_stdlib("distutils", (V(8), V(11))), StdlibAnswer::Yes);
    assert_eq!(
        is_python_stdlib("distutils", (V(8), V(14))),
        StdlibAnswer::Removed { in_version: V(12) }
    );
    assert_eq!(
        is_python_stdlib("cgi", (V(10), V(13))),
        StdlibAnswer::Removed { in_version: V(13) }
    );
    assert_eq!(is_python_stdlib("imp", (V(8), V(11))), StdlibAnswer::Yes);
}

#[test]
fn requires_python_ranges() {
    let r = |s: &str| supported_python_range(Some(s));
    assert_eq!(supported_python_range(None), (V(8), V(14)));
    assert_eq!(r(""), (V(8), V(14)));
    assert_eq!(r(">=3.9"), (V(9), V(14)));
    assert_eq!(r(">=3.8,<3.12"), (V(8), V(11)));
    assert_eq!(r(">= 3.8, < 3.12"), (V(8), V(11)));
    assert_eq!(r(">=3.8 <3.12"), (V(8), V(11)));
    assert_eq!(r("<3.12.1,>=3.10"), (V(10), V(12)));
    assert_eq!(r("<=3.11"), (V(8), V(11)));
    assert_eq!(r("~=3.10"), (V(10), V(14)));
    assert_eq!(r("~=3.10.2"), (V(10), V(10)));
    assert_eq!(r("^3.9"), (V(9), V(14)));
    assert_eq!(r("~3.10"), (V(10), V(10)));
    assert_eq!(r("3.11"), (V(11), V(11)));
    assert_eq!(r("==3.11.*"), (V(11), V(11)));
    assert_eq!(r(">=3.8,!=3.8.*"), (V(9), V(14)));
    assert_eq!(r(">3.9"), (V(9), V(14)));
    assert_eq!(r(">=3.7"), (V(8), V(14)));
    assert_eq!(r(">=3.6,<4.0"), (V(8), V(14)));
    assert_eq!(r(">=3.15"), (V(14), V(14)));
    assert_eq!(r(">=3.9.0rc1"), (V(9), V(14)));
    assert_eq!(r("3.9 || 3.11"), (V(9), V(11)));
    assert_eq!(r("*"), (V(8), V(14)));
    // Python 2 only, or unreadable: the whole range rather than a guess.
    assert_eq!(r("<3"), (V(8), V(14)));
    assert_eq!(r("python"), (V(8), V(14)));
    assert_eq!(r(">="), (V(8), V(14)));
}

#[test]
fn node_builtins() {
    for yes in [
        "fs",
        "node:fs",
        "fs/promises",
        "node:fs/promises",
        "path/posix",
        "stream/web",
        "util/types",
    ] {
        assert!(is_node_builtin(yes), "{yes}");
    }
    for yes in [
        "node:test",
        "node:test/reporters",
        "node:sqlite",
        "node:sea",
        "child_process",
        "worker_threads",
    ] {
        assert!(is_node_builtin(yes), "{yes}");
    }
    for no in [
        "fs-extra",
        "test",
        "sqlite",
        "node:fs-extra",
        "fs/promises/x",
        "node:",
        "",
        "FS",
        "lodash",
    ] {
        assert!(!is_node_builtin(no), "{no}");
    }
}

#[test]
fn bun_and_deno_specifiers() {
    for yes in ["bun", "bun:test", "bun:sqlite", "bun:ffi"] {
        assert!(is_bun_builtin(yes), "{yes}");
    }
    for no in ["bun:", "bunyan", "bun-types", "bun:te st", "node:fs"] {
        assert!(!is_bun_builtin(no), "{no}");
    }
    for yes in [
        "jsr:@std/path",
        "npm:chalk@5",
        "https://deno.land/std/path/mod.ts",
        "http://x.test/a.ts",
    ] {
        assert!(is_deno_specifier(yes), "{yes}");
    }
    for no in ["jsr:", "chalk", "./https.ts", "node:fs", "npm"] {
        assert!(!is_deno_specifier(no), "{no}");
    }
}

#[test]
fn rust_builtin_crates() {
    for yes in ["std", "core", "alloc", "proc_macro", "test"] {
        assert!(is_rust_builtin_crate(yes), "{yes}");
    }
    for no in ["serde", "proc-macro", "Std", "crate", "self", "tokio"] {
        assert!(!is_rust_builtin_crate(no), "{no}");
    }
}

#[test]
fn import_name_to_distributions() {
    assert_eq!(distributions_for_import("yaml"), &["PyYAML"]);
    assert_eq!(distributions_for_import("PIL"), &["Pillow"]);
    assert_eq!(distributions_for_import("sklearn"), &["scikit-learn"]);
    assert_eq!(distributions_for_import("skimage"), &["scikit-image"]);
    assert_eq!(distributions_for_import("bs4"), &["beautifulsoup4"]);
    assert_eq!(distributions_for_import("jwt"), &["PyJWT"]);
    assert_eq!(distributions_for_import("dateutil"), &["python-dateutil"]);
    assert_eq!(distributions_for_import("dotenv"), &["python-dotenv"]);
    assert_eq!(distributions_for_import("serial"), &["pyserial"]);
    assert_eq!(distributions_for_import("MySQLdb"), &["mysqlclient"]);
    assert_eq!(distributions_for_import("multipart"), &["python-multipart"]);
    assert_eq!(distributions_for_import("attr"), &["attrs"]);
    assert_eq!(distributions_for_import("pkg_resources"), &["setuptools"]);
    assert!(distributions_for_import("psycopg2").contains(&"psycopg2-binary"));
    assert!(distributions_for_import("Crypto").contains(&"pycryptodome"));
    for module in ["bson", "gridfs", "pymongo"] {
        assert_eq!(distributions_for_import(module), &["pymongo"], "{module}");
    }
    let cv2 = distributions_for_import("cv2");
    for dist in [
        "opencv-python",
        "opencv-python-headless",
        "opencv-contrib-python",
        "opencv-contrib-python-headless",
    ] {
        assert!(cv2.contains(&dist), "cv2 -> {dist}: {cv2:?}");
    }
}

#[test]
fn namespace_packages_map_by_longest_dotted_prefix() {
    assert_eq!(distributions_for_import("google.protobuf"), &["protobuf"]);
    assert_eq!(distributions_for_import("google.protobuf.json_format"), &["protobuf"]);
    assert_eq!(
        distributions_for_import("google.cloud.storage"),
        &["google-cloud-storage"]
    );
    assert_eq!(
        distributions_for_import("google.cloud.storage.blob"),
        &["google-cloud-storage"]
    );
    assert_eq!(
        distributions_for_import("google.cloud.bigquery"),
        &["google-cloud-bigquery"]
    );
    assert!(distributions_for_import("google").is_empty());
    assert!(distributions_for_import("google.cloud").is_empty());
    assert!(distributions_for_import("google.cloud.not_a_product").is_empty());
}

#[test]
fn conventional_and_unknown_names_have_no_entry() {
    for name in [
        "requests",
        "numpy",
        "typing_extensions",
        "flask",
        "definitely_not_a_package",
        "",
    ] {
        assert!(distributions_for_import(name).is_empty(), "{name}");
    }
}

#[test]
fn distribution_to_import_names() {
    assert_eq!(imports_for_distribution("PyYAML"), vec!["yaml"]);
    assert_eq!(imports_for_distribution("pyyaml"), vec!["yaml"]);
    assert_eq!(imports_for_distribution("scikit_learn"), vec!["sklearn"]);
    assert_eq!(imports_for_distribution("protobuf"), vec!["google.protobuf"]);
    assert_eq!(imports_for_distribution("pymongo"), vec!["bson", "gridfs", "pymongo"]);
    assert!(imports_for_distribution("setuptools").contains(&"pkg_resources"));
    assert!(imports_for_distribution("setuptools").contains(&"setuptools"));
    assert!(imports_for_distribution("attrs").contains(&"attr"));
    assert!(imports_for_distribution("requests").is_empty());
    assert!(imports_for_distribution("Markdown").is_empty());
    assert!(imports_for_distribution("no-such-dist").is_empty());
}

#[test]
fn popular_lists_include_the_usual_suspects() {
    for name in ["requests", "numpy", "PyYAML", "typing-extensions", "scikit-learn"] {
        assert!(popular_python().contains(&name), "{name}");
    }
    for name in ["react", "lodash", "express", "@types/node", "fs-extra"] {
        assert!(popular_npm().contains(&name), "{name}");
    }
    for name in ["serde", "tokio", "anyhow", "clap", "regex"] {
        assert!(popular_crates().contains(&name), "{name}");
    }
    assert!(popular_python().len() >= 250);
    assert!(popular_npm().len() >= 250);
    assert!(popular_crates().len() >= 180);
}

#[test]
fn pep_503_normalization() {
    assert_eq!(normalize_python_name("PyYAML"), "pyyaml");
    assert_eq!(normalize_python_name("typing_extensions"), "typing-extensions");
    assert_eq!(normalize_python_name("ruamel.yaml"), "ruamel-yaml");
    assert_eq!(normalize_python_name("Foo__-.Bar"), "foo-bar");
    assert_eq!(normalize_python_name(" zope.interface "), "zope-interface");
}

#[test]
fn pyversion_displays_as_major_dot_minor() {
    assert_eq!(V(12).to_string(), "3.12");
    assert!(V(9) < V(10));
}
