#!/usr/bin/env python3
"""Generate crates/aireview_manifest/src/tables/import_names.rs.

For a curated list of popular PyPI distributions, downloads each one's wheel
(`pip download --no-deps --only-binary=:all:`, so the client's configured
index, proxy and credentials apply) and reads which top-level names it
installs: `top_level.txt` where the wheel has one, checked against the files
its RECORD lists. Namespace packages (no `__init__.py` at the top, or a known
pkgutil-style namespace such as `google`) are described by their dotted
prefix: protobuf installs `google.protobuf`, google-cloud-storage
`google.cloud.storage`.

The table keeps every distribution that installs at least one import name
differing from its PEP 503-normalized name, with all of that distribution's
import names (so the reverse lookup is complete). Distributions whose wheels
are too large to download for a table, or that publish no wheel, have
hand-written entries in CURATED.

Also writes the curated popular npm packages and crates, used for "did you
mean" hints. Needs the network; `--cache DIR` keeps wheels between runs.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import glob
import os
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

# Popular PyPI distributions (download rankings plus well-known import-name
# mismatches). Spelled as the project spells itself.
POPULAR_PYTHON = """
absl-py aiobotocore aiofiles aiohttp aiomysql aiosignal alabaster alembic altair amqp aniso8601 annotated-types
anthropic anyio apache-airflow argon2-cffi arrow asgiref asn1crypto astroid asyncpg attrs Authlib
aws-lambda-powertools aws-xray-sdk azure-core azure-identity azure-keyvault-secrets azure-storage-blob Babel backoff
bcrypt beautifulsoup4 billiard black bleach blinker bokeh boto3 botocore build cachetools cassandra-driver
cattrs celery certifi cffi chardet charset-normalizer click colorama confluent-kafka contourpy coverage
cryptography cssselect cycler Cython dash dask dataclasses-json datasets dateparser decorator defusedxml Deprecated
dill distlib distro Django djangorestframework dnspython docker docopt docutils duckdb elasticsearch
email-validator et-xmlfile eventlet exceptiongroup Faker factory-boy fastapi fastavro filelock firebase-admin
flake8 Flask Flask-Cors Flask-Login Flask-SQLAlchemy Flask-WTF fonttools freezegun frozenlist fsspec gast
geopandas gevent gitdb GitPython google-api-core google-api-python-client google-auth google-auth-httplib2
google-auth-oauthlib google-cloud-bigquery google-cloud-core google-cloud-firestore google-cloud-pubsub
google-cloud-secret-manager google-cloud-storage google-crc32c google-generativeai google-resumable-media
googleapis-common-protos gradio graphql-core greenlet grpcio grpcio-status grpcio-tools gunicorn gTTS h11 h5py
hatchling html5lib httpcore httplib2 httpx huggingface-hub humanize hypothesis idna imageio importlib-metadata
importlib-resources inflection iniconfig ipykernel ipython isodate isort itsdangerous jedi Jinja2 jmespath
joblib jsonpatch jsonpath-ng jsonpointer jsonschema jupyter-core kafka-python keras kiwisolver kombu
kubernetes Levenshtein lightgbm loguru lxml Mako Markdown markdown-it-py MarkupSafe marshmallow matplotlib
mccabe mdurl mock more-itertools moto msal msgpack multidict mypy mypy-extensions mysqlclient neo4j
netaddr networkx nltk numba numpy oauthlib openai opencv-contrib-python opencv-contrib-python-headless
opencv-python opencv-python-headless openpyxl opentelemetry-api opentelemetry-sdk opt-einsum oracledb orjson
packaging paho-mqtt pandas paramiko parso passlib pathspec patsy peewee pendulum pexpect pika Pillow pip
platformdirs plotly pluggy polars portalocker pre-commit prometheus-client prompt-toolkit proto-plus protobuf
psutil psycopg psycopg2 psycopg2-binary ptyprocess py pyarrow pyasn1 pyasn1-modules PyAutoGUI pycodestyle
pycparser pycryptodome pycryptodomex pydantic pydantic-core pydantic-settings pydub pyflakes pygame Pygments
PyGithub PyJWT pylint pymongo PyMuPDF PyMySQL PyNaCl pyodbc pyOpenSSL pyparsing pypdf PyPDF2 pyperclip
pyproj pyproject-hooks PyQt5 pyrsistent pyserial PySocks pytesseract pytest pytest-asyncio pytest-cov
pytest-mock python-box python-can python-dateutil python-docx python-dotenv python-engineio python-gitlab
python-jose python-json-logger python-magic python-multipart python-pptx python-slugify python-socketio
python-telegram-bot pytz PyWavelets PyYAML pyzmq qrcode rapidfuzz redis regex reportlab requests
requests-oauthlib requests-toolbelt responses rich rsa ruamel.yaml ruff s3fs s3transfer safetensors scikit-image
scikit-learn scipy Scrapy seaborn selenium sentry-sdk setuptools shapely shellingham simplejson six slack-sdk
smmap sniffio snowballstemmer snowflake-connector-python sortedcontainers soupsieve SpeechRecognition
Sphinx SQLAlchemy sqlparse starlette statsmodels streamlit structlog sympy tabulate tenacity termcolor
text-unidecode threadpoolctl tiktoken tokenizers toml tomli tomlkit toolz tornado tqdm traitlets transformers
trio tweepy typer typing-extensions tzdata tzlocal ujson Unidecode uritemplate urllib3 uvicorn uvloop
virtualenv wcwidth websocket-client websockets Werkzeug wheel wrapt WTForms xlrd XlsxWriter xmltodict yarl
zipp zope.interface
"""

# Too large to download for a table (hundreds of MB), or no wheel on PyPI for
# this platform: their import names, written by hand.
CURATED = {
    "torch": ["torch", "torchgen", "functorch"],
    "tensorflow": ["tensorflow"],
    "torchvision": ["torchvision"],
    "xgboost": ["xgboost"],
    "pyspark": ["pyspark"],
    "ray": ["ray"],
    "mysqlclient": ["MySQLdb"],
    "psycopg2": ["psycopg2"],
    "RPi.GPIO": ["RPi"],
    "PyGObject": ["gi", "pygtkcompat"],
    "GDAL": ["osgeo", "osgeo_utils"],
    "dbus-python": ["dbus"],
    "wxPython": ["wx"],
    "aws-cdk-lib": ["aws_cdk"],
    "pycapnp": ["capnp"],
    "PyAutoGUI": ["pyautogui"],
    "docopt": ["docopt"],
    # A meta-distribution since Airflow 3; the code is in apache-airflow-core.
    "apache-airflow": ["airflow"],
    "apache-airflow-core": ["airflow"],
    "pywin32": ["win32api", "win32con", "win32com", "win32gui", "pythoncom", "pywintypes"],
}

# Names that the current wheel no longer installs but releases still in wide
# use do: added to what the wheel says.
HISTORICAL = {
    # pkg_resources left the setuptools wheel in its 8x releases.
    "setuptools": ["pkg_resources"],
}

# pkgutil-style namespaces: an `__init__.py` there does not make the top
# level the package a project imports.
KNOWN_NAMESPACES = {"google", "azure", "zope", "ruamel", "backports", "jaraco", "sphinxcontrib", "paho",
                    "snowflake", "opentelemetry", "google.cloud"}

# Never an import name a mapping should claim: stray test and build folders.
NOT_IMPORTS = {"test", "tests", "testing", "docs", "doc", "examples", "example", "benchmarks", "scripts",
               "tools", "build", "src", "bin"}

POPULAR_NPM = """
@angular/common @angular/core @apollo/client @aws-sdk/client-s3 @babel/core @babel/preset-env
@emotion/react @emotion/styled @eslint/js @hookform/resolvers @mui/icons-material @mui/material @nestjs/common
@nestjs/core @next/font @playwright/test @prisma/client @radix-ui/react-dialog @reduxjs/toolkit @sentry/node
@sentry/react @supabase/supabase-js @tanstack/react-query @tanstack/react-table @testing-library/jest-dom
@testing-library/react @testing-library/user-event @trpc/client @trpc/server @types/express @types/jest
@types/lodash @types/node @types/react @types/react-dom @typescript-eslint/eslint-plugin
@typescript-eslint/parser @vitejs/plugin-react @vue/compiler-sfc @vueuse/core acorn ajv ajv-formats
antd apollo-server archiver argparse async autoprefixer aws-sdk axios babel-jest babel-loader bcrypt bcryptjs
bignumber.js bluebird body-parser bootstrap bullmq busboy cac camelcase chai chalk cheerio chokidar
class-transformer class-validator class-variance-authority classnames clsx colors commander compression
concurrently connect-redis cookie cookie-parser core-js cors cron cross-env cross-fetch crypto-js css-loader
csv-parse csv-parser d3 date-fns dayjs debug decimal.js deepmerge del dompurify dotenv drizzle-orm ejs
electron esbuild eslint eslint-config-prettier eslint-plugin-import eslint-plugin-react
eslint-plugin-react-hooks eventemitter3 execa express express-rate-limit express-session express-validator
fast-glob fastify fs-extra firebase firebase-admin form-data formik framer-motion glob globby got graphql
graphql-request graphql-tag gray-matter handlebars helmet highlight.js history html-webpack-plugin
http-errors http-proxy-middleware husky i18next immer immutable inquirer ioredis jest joi jose jquery
js-cookie js-yaml jsdom jsonwebtoken jszip knex koa koa-router ky lint-staged lodash lodash-es
lodash.debounce lru-cache lucide-react markdown-it marked mime mime-types minimatch minimist mkdirp mobx
mocha moment moment-timezone mongodb mongoose morgan ms multer mysql mysql2 nanoid next next-auth
node-cron node-fetch nodemailer nodemon normalize-path npm nuxt object-assign openai ora p-limit p-map
p-queue passport passport-jwt passport-local path-to-regexp pg pg-promise picocolors pino pino-pretty
playwright postcss prettier prisma prop-types puppeteer qs query-string ramda react react-dom
react-hook-form react-icons react-query react-redux react-router react-router-dom react-select
react-toastify readable-stream redis redux redux-thunk reflect-metadata remark request rimraf rollup rxjs
sass sax semver sequelize sharp shelljs slugify socket.io socket.io-client sort-keys source-map
sqlite3 stripe style-loader styled-components superagent supertest svelte swr tailwind-merge tailwindcss
tar through2 tinycolor2 tmp ts-jest ts-node tslib tsx typeorm typescript uglify-js underscore undici
uuid validator vite vitest vue vue-router webpack webpack-cli webpack-dev-server winston ws xml2js xlsx
yaml yargs yup zod zustand @angular/router @nestjs/platform-express @remix-run/react @storybook/react
@aws-sdk/client-dynamodb @google-cloud/storage @sendgrid/mail @faker-js/faker @elastic/elasticsearch
@langchain/core @anthropic-ai/sdk @iarna/toml @oclif/core amqplib astro better-sqlite3 boxen bull bunyan
canvas chart.js chance cli-table3 config convict cypress dotenv-expand enquirer envalid exceljs figlet
googleapis graphql-yoga hono ini jimp json5 kafkajs langchain leaflet listr2 lit log4js loglevel luxon
meow msw mssql neo4j-driver nock papaparse pdf-lib pdfkit pm2 preact prompts react-chartjs-2 recharts sinon
solid-js three tsup turbo twilio zx
"""

POPULAR_CRATES = """
actix-rt actix-web ahash aho-corasick anyhow approx arc-swap arrayvec assert_cmd async-stream async-trait
axum base64 bincode bitflags blake3 bstr bumpalo byteorder bytes bytemuck camino cc cfg-if chrono clap
clap_complete color-eyre colored console criterion crossbeam crossbeam-channel crossbeam-utils csv
dashmap derive_more diesel digest directories dirs dotenvy either encoding_rs env_logger eyre fastrand
flate2 fnv futures futures-util getrandom glob globset h2 hashbrown heck hex hmac http http-body
hyper hyper-util ignore image indexmap indicatif insta itertools itoa jsonwebtoken lazy_static libc
libloading log lru md-5 memchr memmap2 mime mio miette nalgebra ndarray nix nom notify num num-bigint
num-traits num_cpus once_cell openssl owo-colors parking_lot paste percent-encoding petgraph phf pin-project
pin-project-lite predicates pretty_assertions prettyplease proc-macro2 proptest prost quick-xml quote
rand rand_chacha rand_core rayon redis regex regex-automata regex-syntax reqwest ring rusqlite rustc-hash
rustls rustls-pemfile ryu same-file schemars scopeguard semver serde serde_derive serde_json serde_urlencoded
serde_with serde_yaml sha1 sha2 shlex similar slab smallvec smol socket2 sqlx strsim structopt strum
strum_macros subtle syn tar tempfile termcolor textwrap thiserror time tokio tokio-stream tokio-util toml
toml_edit tonic tower tower-http tracing tracing-appender tracing-subscriber tree-sitter trybuild
tungstenite typed-arena unicode-segmentation unicode-width url uuid walkdir warp which winapi
windows-sys zip zstd aes argon2 arrow askama async-std aws-config aws-sdk-s3 bs58 cargo_metadata
chrono-tz comrak config crc32fast crossterm ctrlc deadpool derive_builder dialoguer ed25519-dalek
fancy-regex flume fs_extra futures-core governor handlebars humantime hyper-rustls js-sys jsonschema
lettre logos mockall mockito moka native-tls object_store opentelemetry parquet pest polars postgres
prost-types pulldown-cmark pyo3 quickcheck r2d2 ratatui rmp-serde rocket rstest rust_decimal rustyline
sea-orm serde_bytes serial_test sha3 signal-hook slog sled snafu syntect sysinfo tera test-case tinyvec
tokio-postgres tokio-tungstenite ulid ureq validator wasm-bindgen web-sys wgpu winit wiremock zerocopy
"""


def normalize(name: str) -> str:
    """PEP 503 normalization."""
    return re.sub(r"[-_.]+", "-", name).lower()


def words(block: str) -> list[str]:
    return sorted(set(block.split()), key=str.encode)


def download(dist: str, dest: str) -> str | None:
    """The wheel file of `dist` in `dest`, downloading it when missing."""
    stem = re.sub(r"[-_.]+", "_", dist).lower()

    def existing() -> str | None:
        for path in glob.glob(os.path.join(dest, "*.whl")):
            base = os.path.basename(path).split("-")[0].lower()
            if re.sub(r"[-_.]+", "_", base) == stem:
                return path
        return None

    found = existing()
    if found:
        return found
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:", "--dest", dest,
         dist],
        capture_output=True, text=True, timeout=600,
    )
    if proc.returncode != 0:
        print(f"warning: no wheel for {dist}: {proc.stderr.strip().splitlines()[-1:]}", file=sys.stderr)
        return None
    return existing()


def expand_namespace(top: str, files: set[str], depth: int = 0) -> list[str]:
    """Dotted import names under a namespace folder `top` (slash-separated)."""
    children = sorted({f[len(top) + 1:].split("/")[0] for f in files if f.startswith(top + "/")})
    out = []
    for child in children:
        if child.startswith("_") or child == "__pycache__":
            continue
        path = f"{top}/{child}"
        if f"{path}/__init__.py" in files and path.replace("/", ".") not in KNOWN_NAMESPACES:
            out.append(path.replace("/", "."))
        elif any(f.startswith(path + "/") for f in files) and depth < 3:
            out.extend(expand_namespace(path, files, depth + 1))
        elif child.endswith(".py") or ".cpython-" in child or child.endswith((".abi3.so", ".pyd")):
            out.append(f"{top}/{child.split('.')[0]}".replace("/", "."))
    return out


def import_names(wheel: str, dist: str) -> list[str]:
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        files = {n for n in names if not n.endswith("/")}
        top_level: set[str] | None = None
        for n in names:
            if n.count("/") == 1 and n.endswith(".dist-info/top_level.txt"):
                text = zf.read(n).decode("utf-8", "replace")
                top_level = {line.strip().replace("/", ".").split(".")[0] for line in text.splitlines()
                             if line.strip()}
    tops: set[str] = set()
    for f in files:
        first = f.split("/")[0]
        if first.endswith((".dist-info", ".data")) or first == "__pycache__":
            continue
        if "/" in f:
            tops.add(first)
        elif f.endswith(".py") or ".cpython-" in f or f.endswith((".abi3.so", ".so", ".pyd")):
            tops.add(first.split(".")[0])
    if top_level:
        tops = (tops & top_level) or tops
    out = []
    for top in sorted(tops):
        if top.startswith("_") or not top.isidentifier() or "__mypyc" in top:
            continue
        if top in NOT_IMPORTS and normalize(top) != normalize(dist):
            continue
        is_pkg = f"{top}/__init__.py" in files
        is_module = any("/" not in f and f.split(".")[0] == top for f in files)
        if (is_pkg or is_module) and top not in KNOWN_NAMESPACES:
            out.append(top)
        else:
            out.extend(expand_namespace(top, files))
    return sorted(set(out))


def rust_str_list(items: list[str]) -> str:
    return "&[" + ", ".join(f'"{i}"' for i in items) + "]"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cache", help="folder to keep downloaded wheels in (default: a temporary folder)")
    ap.add_argument("--jobs", type=int, default=4)
    ap.add_argument("--out", default=str(Path(__file__).resolve().parent.parent
                                         / "crates/aireview_manifest/src/tables/import_names.rs"))
    args = ap.parse_args()
    dest = args.cache or tempfile.mkdtemp(prefix="import-names-")
    os.makedirs(dest, exist_ok=True)

    python = words(POPULAR_PYTHON)
    to_fetch = [d for d in python if d not in CURATED]
    provides: dict[str, list[str]] = {d: list(v) for d, v in CURATED.items()}
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for dist, wheel in zip(to_fetch, pool.map(lambda d: download(d, dest), to_fetch)):
            if wheel is None:
                continue
            try:
                names = import_names(wheel, dist)
            except (zipfile.BadZipFile, OSError) as err:
                print(f"warning: unreadable wheel {wheel}: {err}", file=sys.stderr)
                continue
            if not names:
                print(f"warning: {dist} installs no importable name", file=sys.stderr)
                continue
            provides[dist] = sorted(set(names) | set(HISTORICAL.get(dist, [])))
    missing = [d for d in to_fetch if d not in provides]
    if missing:
        sys.exit(f"no import names for: {missing}")

    # A distribution "differs" when one of its names is not its own
    # normalized name; dotted (namespace) names always count, so that
    # `google.cloud.storage` is listed although it normalizes alike.
    differing = {d for d, names in provides.items()
                 if any("." in n or normalize(n) != normalize(d) for n in names)}
    everyone: dict[str, set[str]] = {}
    for dist, names in provides.items():
        for n in names:
            everyone.setdefault(n, set()).add(dist)
    # Rows for the names of differing distributions, with every distribution
    # installing that name (`py` -> py, pytest).
    by_import = {n: dists for n, dists in everyone.items() if dists & differing}

    popular = sorted(set(python) | set(CURATED), key=str.encode)
    lines = [
        "// generated by scripts/gen_import_names.py; do not edit",
        "//",
        "// IMPORT_NAMES: import name (dotted for namespace packages) -> distributions installing it, for every",
        "// distribution that installs a name other than its own normalized name (with all of its names).",
        "// Read from the wheels' top_level.txt and RECORD. Sorted by import name (byte order).",
        "",
        "#[rustfmt::skip]",
        "pub(crate) static IMPORT_NAMES: &[(&str, &[&str])] = &[",
    ]
    for name in sorted(by_import, key=str.encode):
        dists = sorted(by_import[name], key=lambda d: (normalize(d), d))
        lines.append(f'    ("{name}", {rust_str_list(dists)}),')
    lines.append("];")
    for const, items, what in [
        ("POPULAR_PYTHON", popular, "Popular PyPI distributions"),
        ("POPULAR_NPM", words(POPULAR_NPM), "Popular npm packages"),
        ("POPULAR_CRATES", words(POPULAR_CRATES), "Popular crates"),
    ]:
        lines += ["", f"/// {what}, sorted (byte order).", "#[rustfmt::skip]", f"pub(crate) static {const}: &[&str] = &["]
        lines += [f'    "{i}",' for i in items]
        lines.append("];")
    Path(args.out).write_text("\n".join(lines) + "\n")
    print(f"wrote {len(by_import)} import names, {len(popular)} python, {len(words(POPULAR_NPM))} npm, "
          f"{len(words(POPULAR_CRATES))} crates to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
