"""Metric conventions that references fix (scipy's component ties, RISE's step and substrate, TorchRay's strict pointing
game) and inputs the metrics must refuse (maps off [0, 1], integer maps, empty batches), through the public API."""
import math
import numpy as np, pytest, scipy.ndimage, torch
import torch.nn as nn
import torch.nn.functional as F
from maskinterp.core import make_fill, normalize_maps
from maskinterp.metrics import (causal_metric, energy_pointing_game, evaluate, largest_component, localization_error,
                                localization_metrics, mask_iou, mask_precision, pointing_game, pxap, saliency_boxes,
                                sufficiency_comprehensiveness, _reference_causal_metric)

def _gen(seed): return torch.Generator().manual_seed(seed)

@pytest.mark.parametrize('connectivity, structure', [(4, None), (8, np.ones((3, 3)))])
def test_largest_component_ties_follow_scipy_label_argmax(connectivity, structure):
    masks = torch.rand(200, 1, 6, 8, generator=_gen(11)) > 0.7
    ours = largest_component(masks, connectivity)
    for i in range(len(masks)):
        lab, n = scipy.ndimage.label(masks[i, 0].numpy(), structure=structure)
        ref = lab == np.bincount(lab.ravel())[1:].argmax() + 1 if n else np.zeros_like(lab, dtype=bool)
        assert torch.equal(ours[i, 0], torch.from_numpy(ref)), i

def test_tied_components_give_the_reference_box_and_le():
    m = torch.zeros(1, 1, 8, 10); m[0, 0, 0:6, 0] = 1; m[0, 0, 2, 3:9] = 1      # two 6-pixel bars
    assert saliency_boxes(m)[0].tolist() == [[0., 0., 1., 6.]]
    assert localization_error(m, boxes=torch.tensor([[0, 0, 1, 6]])).tolist() == [0.]

def test_normalisation_and_the_metrics_using_it_are_scale_free():
    maps = torch.rand(4, 1, 16, 20, generator=_gen(1))
    gt = torch.rand(4, 1, 16, 20, generator=_gen(2)) > 0.6
    maps = maps + 0.5 * gt                                                   # informative maps
    for mode in ('max', 'minmax'):
        torch.testing.assert_close(normalize_maps(maps * 1e-13, mode), normalize_maps(maps, mode), atol=1e-6, rtol=0)
    assert abs(pxap(maps * 1e-13, gt) - pxap(maps, gt)) < 0.05
    assert pxap(maps * 2.**-43, gt) == pxap(maps, gt)
    torch.testing.assert_close(energy_pointing_game(maps * 1e-13, masks=gt, normalize=True),
                               energy_pointing_game(maps, masks=gt, normalize=True))

def test_pointing_game_strict_rule_at_exactly_the_tolerance():
    m = torch.zeros(1, 1, 8, 12); m[0, 0, 2, 3] = 1                          # 3 px left of the object
    obj = torch.tensor([[6, 2, 10, 4]])
    assert pointing_game(m, boxes=obj, tolerance=3).item() == 1.
    assert pointing_game(m, boxes=obj, tolerance=3, strict=True).item() == 0.
    with pytest.raises(ValueError, match='tolerance > 0'): pointing_game(m, boxes=obj, strict=True)

def _cnn():
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(2), nn.Flatten(), nn.Linear(16, 3))

@pytest.mark.parametrize('mode, substrate', [('deletion', 'zero'), ('insertion', 'rise_blur')])
def test_rise_step_matches_the_reference_loop(mode, substrate):
    net, x, maps = _cnn(), torch.randn(2, 3, 10, 10, generator=_gen(3)), torch.rand(2, 1, 10, 10, generator=_gen(4))
    assert 11 not in {math.ceil(100 / k) for k in range(1, 101)}              # not expressible with n_steps
    auc, curve = causal_metric(net, x, maps, mode=mode, step=11, substrate=substrate, batch_size=7)
    auc_r, curve_r = _reference_causal_metric(net, x, maps, mode=mode, step=11, substrate=substrate)
    assert curve.shape == (2, 11)
    torch.testing.assert_close(curve, curve_r, atol=1e-5, rtol=0); torch.testing.assert_close(auc, auc_r, atol=1e-5, rtol=0)
    with pytest.raises(ValueError, match='not both'): causal_metric(net, x, maps, n_steps=5, step=11)

def test_rise_blur_is_rises_substrate():
    x = torch.rand(1, 3, 16, 16, generator=_gen(5))
    delta = np.zeros((11, 11)); delta[5, 5] = 1
    k = torch.from_numpy(scipy.ndimage.gaussian_filter(delta, 5)).float()
    torch.testing.assert_close(make_fill(x, 'rise_blur'), F.conv2d(x, torch.eye(3)[:, :, None, None] * k, padding=5))

def test_scale_dependent_metrics_refuse_maps_off_the_unit_range():
    maps = torch.rand(3, 1, 8, 10, generator=_gen(6)); gt = torch.zeros(3, 1, 8, 10, dtype=torch.bool); gt[..., 2:5, 3:8] = True
    for f in (lambda m: evaluate(m, masks=gt), lambda m: mask_iou(m, gt), lambda m: mask_precision(m, gt),
              lambda m: localization_metrics(m, masks=gt)):
        with pytest.raises(ValueError, match='normalize_maps'): f(maps * 255)
        with pytest.raises(ValueError, match='integer dtype'): f((maps * 255).to(torch.uint8))
    evaluate(maps * 255, masks=gt, metrics=['epg', 'pointing', 'pxap'])      # scale-free columns: any scale

def test_empty_batches_say_no_images():
    net, x0, m0, g0 = _cnn(), torch.zeros(0, 3, 8, 8), torch.zeros(0, 1, 8, 8), torch.zeros(0, 1, 8, 8, dtype=torch.bool)
    for f in (lambda: evaluate(m0, masks=g0), lambda: energy_pointing_game(m0, masks=g0), lambda: pointing_game(m0, masks=g0),
              lambda: localization_metrics(m0, boxes=torch.zeros(0, 4)), lambda: pxap(m0, g0), lambda: mask_iou(m0, g0),
              lambda: mask_precision(m0, g0), lambda: causal_metric(net, x0, m0),
              lambda: sufficiency_comprehensiveness(net, x0, m0)):
        with pytest.raises(ValueError, match='no images'): f()
