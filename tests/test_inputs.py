"Bad input gets a clear error that names the problem, through the public API as users call it."
import pytest, torch
import maskinterp.core as core
from maskinterp.data import SpuriousAnimals, spurious_dls
from maskinterp.metrics import energy_pointing_game, evaluate, worst_group_accuracy
from maskinterp.models import GradCAM, SmallCNN, create_model

X = torch.rand(2, 3, 16, 12)
M = torch.rand(2, 1, 16, 12)

@pytest.mark.parametrize('mask, msg', [
    (torch.rand(2, 1, 8, 12), 'resize it first'),
    (torch.rand(3, 1, 16, 12), 'batch size 3'),
    (torch.full((2, 1, 16, 12), float('nan')), 'NaN'),
    (torch.rand(2, 2, 16, 12), '(B, 1, H, W)'),
])
def test_mask_ops_reject_bad_masks(mask, msg):
    with pytest.raises(ValueError, match=msg.replace('(', r'\(').replace(')', r'\)')):
        core.mask_in(X, mask)

def test_images_must_be_finite_batches():
    with pytest.raises(ValueError, match='NaN'): core.check_images(torch.full((1, 3, 4, 4), float('inf')))
    with pytest.raises(ValueError, match=r'\(B, C, H, W\)'): core.mask_out(torch.rand(3, 16, 12), M[:1])
    with pytest.raises(TypeError, match='float'): core.check_images(torch.zeros(1, 3, 4, 4, dtype=torch.uint8))

def test_masks_outside_unit_range_are_refused_where_it_matters():
    with pytest.raises(ValueError, match=r'\[0, 1\]'): core.check_mask(M * 255)
    with pytest.raises(ValueError, match='unknown fill'): core.mask_in(X, M, fill='grey')
    with pytest.raises(TypeError, match='integer labels'): core.scatter_groups(torch.rand(1, 3), torch.rand(1, 4, 4))

def test_data_rejects_bad_settings():
    with pytest.raises(ValueError, match='task'): SpuriousAnimals('cars', 'test', n=8, size=32)
    with pytest.raises(ValueError, match='split'): SpuriousAnimals('birds', 'holdout', n=8, size=32)
    with pytest.raises(ValueError, match='rho'): SpuriousAnimals('birds', 'train', n=8, size=32, rho=1.2)
    with pytest.raises(ValueError): SpuriousAnimals('birds', 'test', n=0, size=32)
    with pytest.raises(ValueError): SpuriousAnimals('birds', 'test', n=8, size=8)

def test_models_and_explainers_reject_bad_input():
    with pytest.raises(ValueError, match='unknown architecture'): create_model('no_such_net')
    net = SmallCNN(n_out=2)
    cam = GradCAM(net)
    with pytest.raises(ValueError, match='NaN'): cam(torch.full((1, 3, 16, 16), float('nan')))
    with pytest.raises(ValueError, match=r'target classes must lie in \[0, 2\)'): cam(torch.rand(2, 3, 16, 16), target=5)
    with pytest.raises(ValueError, match='target must be an int or have shape'): cam(torch.rand(2, 3, 16, 16), target=torch.tensor([0, 1, 1]))
    flat = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(3 * 16 * 16, 2))    # no feature map to explain
    with pytest.raises(ValueError, match='pass layer='): GradCAM(flat)(torch.rand(1, 3, 16, 16))
    with pytest.raises(ValueError, match="no layer named 'head'"): GradCAM(flat, layer='head')
    with pytest.raises(TypeError, match='nn.Module or a fastai Learner'): GradCAM('resnet18')

def test_metrics_reject_degenerate_ground_truth():
    maps = torch.rand(2, 1, 8, 10)
    gt = torch.zeros(2, 1, 8, 10, dtype=torch.bool); gt[0, :, 2:4, 3:7] = True     # image 1 has no foreground
    with pytest.raises(ValueError, match='empty'): energy_pointing_game(maps, masks=gt)
    with pytest.raises(ValueError): energy_pointing_game(maps, masks=gt[:, :, :4])
    with pytest.raises(ValueError, match='NaN'): energy_pointing_game(torch.full_like(maps, float('nan')), masks=gt[[0, 0]])
    with pytest.raises(ValueError, match='lengths differ'):
        worst_group_accuracy(torch.tensor([0, 1]), torch.tensor([0, 1, 1]), torch.tensor([0, 1, 1]))

def test_data_model_explainer_metrics_end_to_end():
    "The one-way flow, small: data -> model -> Grad-CAM maps -> the shared evaluation table."
    dls = spurious_dls('birds', bs=32, size=32, n_train=128, n_valid=64, seed=1)
    test = dls.valid_ds
    net = create_model('smallcnn', n_out=len(test.classes))
    xb, yb = dls.valid.one_batch()
    maps = GradCAM(net)(xb, yb)
    assert maps.shape == (len(xb), 1, 32, 32) and maps.device == xb.device
    assert 0 <= maps.min() and maps.max() <= 1
    table = evaluate(maps=maps.cpu(), masks=test.masks[:len(xb)], labels=yb.cpu(), preds=net(xb).argmax(1).cpu(),
                     groups=test.groups[:len(xb)], method='untrained')
    assert list(table.index) == ['untrained']
    assert {'accuracy', 'worst_group_acc', 'epg'} <= set(table.columns)
    assert 0 <= table.loc['untrained', 'epg'] <= 1

def test_errors_name_the_fix():
    "Errors that once only named the problem also say what to pass."
    import timm
    from fastai.learner import Learner
    from maskinterp.bench import BenchConfig
    from maskinterp.pretrain import SourceRecipe
    from maskinterp.metrics import PxAPAccumulator, evaluate_parts, combine_parts
    from maskinterp.masker import MaskerCallback
    from maskinterp.p2p import P2PModel
    from maskinterp.models import TimmClassifier
    with pytest.raises(ValueError, match=r'pass a smaller bs \(--bs\) or a larger n_train'): BenchConfig(n_train=8, bs=16).check()
    with pytest.raises(ValueError, match='pass a smaller bs= or a larger n_train='): SourceRecipe(n_train=8, bs=16).check()
    with pytest.raises(ValueError, match=r'layer= takes a name of model.named_modules\(\)'):
        GradCAM(torch.nn.Sequential(torch.nn.Conv2d(3, 2, 3)), layer='head')
    with pytest.raises(ValueError, match=r'call accumulate\(maps, masks\)'): PxAPAccumulator().curve()
    masks = torch.zeros(2, 1, 8, 8, dtype=torch.bool); masks[:, :, 2:5, 2:5] = True
    maps = torch.rand(2, 1, 8, 8)
    a = evaluate_parts(maps[:1], masks[:1], metrics=['epg'])
    b = evaluate_parts(maps[1:], masks[1:], labels=torch.tensor([1]), preds=torch.tensor([1]), metrics=['epg'])
    with pytest.raises(ValueError, match="give every shard's evaluate_parts the same inputs"): combine_parts([a, b])
    class NoHead(torch.nn.Module):
        def features(self, x): return x
    with pytest.raises(TypeError, match=r'has features\(x\) and head\(feats, tau\)'): P2PModel(SmallCNN(n_out=2), NoHead())
    with pytest.raises(TypeError, match=r'GradCAM\(model, layer=\.\.\.\)'):
        TimmClassifier(torch.nn.Linear(2, 2))
    dls = spurious_dls('birds', bs=8, size=32, n_train=16, n_valid=8, seed=1)
    from fastai.losses import CrossEntropyLossFlat
    learn = Learner(dls, SmallCNN(n_out=2), loss_func=CrossEntropyLossFlat(), cbs=MaskerCallback())   # not a MaskerModel
    with pytest.raises(TypeError, match='needs learn.model to be a MaskerModel, got SmallCNN: .*masker_learner'):
        with learn.no_bar(), learn.no_logging(): learn.fit(1)

@pytest.mark.parametrize('make', ['masker', 'aim'])
def test_a_model_that_records_nothing_names_the_learner(make):
    "A method's model whose recording another callback turned off: the error names the learner that builds both."
    from fastai.callback.core import Callback
    from maskinterp.masker import masker_learner
    from maskinterp.aim import aim_learner
    class RecordOff(Callback):
        order = 50
        def before_batch(self): self.learn.model.record = False
    dls = spurious_dls('birds', bs=8, size=32, n_train=16, n_valid=8, seed=1)
    learn = (masker_learner if make == 'masker' else aim_learner)(dls, model_kwargs=dict(widths=(8, 16, 32)), cbs=RecordOff())
    with pytest.raises(RuntimeError, match=f'recorded no.*{make}_learner builds both'):
        with learn.no_bar(), learn.no_logging(): learn.fit(1)
