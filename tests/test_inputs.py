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
