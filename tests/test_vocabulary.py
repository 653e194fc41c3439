"The vocabulary of 03_models' table, checked on every public signature of the package."
import importlib, inspect, warnings

import pytest

MODULES = ['core', 'data', 'datasets', 'metrics', 'models', 'pretrain', 'masker', 'marc', 'comet', 'p2p', 'aim',
           'photos', 'distributed', 'bench']
# former names that stay only as deprecated shims, where they are
SHIMS = {('aim_learner', 'lam'), ('AIMCallback', 'lam'), ('comet_learner', 'predictor')}
LEARNERS = ['masker.masker_learner', 'comet.comet_learner', 'p2p.p2p_learner', 'aim.aim_learner']
LOSSES = ['masker.MaskerLoss', 'comet.CometLoss', 'p2p.P2PLoss', 'aim.AIMLoss']


def _obj(path):
    mod, name = path.split('.')
    return getattr(importlib.import_module(f'maskinterp.{mod}'), name)


def public_signatures():
    "(owner name, parameter names) of every public function, class and public method in the package."
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        mods = [importlib.import_module(f'maskinterp.{m}') for m in MODULES]
    out = []
    for mod in mods:
        for name in getattr(mod, '__all__', []):
            obj = getattr(mod, name)
            fns = [(name, obj)]
            if inspect.isclass(obj):
                fns = [(name, obj.__init__)] + [(f"{name}.{k}", v) for k, v in vars(obj).items()
                                                if callable(v) and not k.startswith('_')]
            for owner, f in fns:
                try: sig = inspect.signature(f)
                except (TypeError, ValueError): continue
                out.append((owner, list(sig.parameters)))
    return out


def test_signatures_found():
    sigs = public_signatures()
    assert len(sigs) > 200                     # the walk reaches the package, not an empty list
    assert ('AIMLoss', ['self', 'w_area', 'stage_names']) in sigs


def test_loss_weights_are_w_names():
    "A loss term's weight is `w_<term>`: no `*_weight`, `alpha_*` or `lam` parameter outside the deprecated shims."
    bad = [(o, p) for o, ps in public_signatures() for p in ps
           if (p.endswith('_weight') or p.startswith('alpha_') or p == 'lam') and (o, p) not in SHIMS]
    assert bad == []


def test_area_weight_is_w_area():
    for path in ['comet.CometLoss', 'p2p.P2PLoss', 'aim.AIMLoss', 'marc.MaRC']:
        assert 'w_area' in inspect.signature(_obj(path).__init__).parameters, path
    ps = inspect.signature(_obj('masker.MaskerLoss').__init__).parameters
    assert {'w_in_area', 'w_out_area'} <= set(ps)


def test_temperature_is_temperature():
    "`tau` is a target area; the relaxations' temperature is `temperature` everywhere."
    for path in ['core.sigmoid_mask', 'core.relaxed_bernoulli', 'core.gumbel_softmax_mask']:
        ps = inspect.signature(_obj(path)).parameters
        assert 'temperature' in ps and 'tau' not in ps, path


def test_learners_share_arguments():
    for path in LEARNERS:
        ps = inspect.signature(_obj(path)).parameters
        missing = {'dls', 'arch', 'model', 'loss', 'pretrained', 'n_out', 'metrics', 'cbs'} - set(ps)
        assert not missing, (path, missing)


@pytest.mark.parametrize('old,new,path', [
    ('tv_weight', 'w_tv', 'marc.MaRC'), ('alpha_area', 'w_area', 'marc.MaRC'), ('w_init', 'mask_init', 'marc.MaRC'),
    ('reg_weight', 'w_area', 'p2p.P2PLoss'), ('cov_weight', 'w_cov', 'p2p.P2PLoss'), ('lam', 'w_area', 'aim.AIMLoss')])
def test_former_names_warn_and_pass_on(old, new, path):
    import torch.nn as nn
    cls = _obj(path)
    args = (nn.Linear(2, 2),) if path == 'marc.MaRC' else ()
    kw = dict(backgrounds='zero') if path == 'marc.MaRC' else {}
    with pytest.warns(FutureWarning, match=f"{old}=\\) is now {new}="):
        obj = cls(*args, **kw, **{old: 0.25})
    got = obj.weights.get(new, getattr(obj, new, None)) if path == 'marc.MaRC' else getattr(obj, new)
    assert got == 0.25
    with pytest.raises(TypeError, match=f"give {new}= only"):
        cls(*args, **kw, **{old: 0.25, new: 0.25})


def test_the_package_uses_no_former_name():
    "The library itself calls only the current names (a former name in its own calls would warn every user)."
    import re
    from pathlib import Path
    import maskinterp
    former = ['alpha_area', 'alpha_sigma', 'tv_weight', 'suff_weight', 'comp_weight', 'w_init', 'reg_weight', 'cov_weight']
    hits = []
    for f in sorted(Path(maskinterp.__file__).parent.glob('*.py')):
        if f.name == '_modidx.py': continue
        src = re.sub(r"@renamed_args\([^)]*\)", '', f.read_text())      # the decorators name the former names on purpose
        hits += [f"{f.name}: {n}" for n in former + ['predictor', 'lam']          # as a keyword, or a key set by name
                 if re.search(rf"\b{n}\s*=(?!=)|setdefault\(['\"]{n}['\"]", src)
                 and not (n in ('predictor', 'lam') and f.name in ('comet.py', 'aim.py'))]
    # the two former names that are also live words (COMET's predictor module, AIM's shim): never in a learner's call
    src = '\n'.join((Path(maskinterp.__file__).parent/f).read_text() for f in ('comet.py', 'aim.py', 'bench.py'))
    assert re.findall(r"setdefault\(['\"](?:predictor|lam)['\"]|_learner\([^)]*\b(?:predictor|lam)=(?!None|\))", src) == []
    assert hits == []
