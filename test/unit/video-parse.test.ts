// Pure helpers of the video stage: ffprobe/ffmpeg output parsing, filter construction, error wording.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  parseCreationTime, parseDecodableCodecs, parseRate, rotationOf, fileUrl,
} from '../../electron/engine/video/probe';
import { FfmpegLogParser, buildFilterChain, seekPointFor } from '../../electron/engine/video/sampler';
import { VideoError, cleanLogLine, reasonFromFfmpegLog } from '../../electron/engine/video/errors';
import { isVideoName } from '../../electron/engine/video/scan';

describe('parseRate', () => {
  it('fractions, integers, zero and junk', () => {
    assert.equal(parseRate('30/1'), 30);
    assert.ok(Math.abs(parseRate('30000/1001') - 29.97002997) < 1e-6);
    assert.equal(parseRate('25'), 25);
    assert.equal(parseRate('0/0'), 0);
    assert.equal(parseRate('1/0'), 0);
    assert.equal(parseRate(''), 0);
    assert.equal(parseRate(undefined), 0);
    assert.equal(parseRate('abc'), 0);
  });
});

describe('rotationOf', () => {
  it('display matrix is counter-clockwise, result clockwise in 0..270', () => {
    assert.equal(rotationOf({ side_data_list: [{ side_data_type: 'Display Matrix', rotation: -90 }] }), 90);
    assert.equal(rotationOf({ side_data_list: [{ side_data_type: 'Display Matrix', rotation: 90 }] }), 270);
    assert.equal(rotationOf({ side_data_list: [{ side_data_type: 'Display Matrix', rotation: 180 }] }), 180);
    assert.equal(rotationOf({ side_data_list: [{ side_data_type: 'Display Matrix', rotation: -180 }] }), 180);
    assert.equal(rotationOf({ side_data_list: [{ side_data_type: 'Display Matrix', rotation: -89.99 }] }), 90);
  });
  it('falls back to tags.rotate (clockwise); nothing → 0', () => {
    assert.equal(rotationOf({ tags: { rotate: '90' } }), 90);
    assert.equal(rotationOf({ tags: { rotate: '-90' } }), 270);
    assert.equal(rotationOf({}), 0);
    assert.equal(rotationOf({ side_data_list: [{ side_data_type: 'Other' }] }), 0);
  });
});

describe('parseCreationTime', () => {
  it('ISO in, ISO out; junk → null', () => {
    assert.equal(parseCreationTime('2024-03-05T14:07:09.000000Z'), '2024-03-05T14:07:09.000Z');
    assert.equal(parseCreationTime('not a date'), null);
    assert.equal(parseCreationTime(undefined), null);
  });
});

describe('parseDecodableCodecs', () => {
  it('keeps codecs with the D flag only', () => {
    const listing = [
      'Codecs:', ' D..... = Decoding supported', ' -------',
      ' DEV.LS h264                 H.264 / AVC / MPEG-4 AVC',
      ' .EVIL. a64_multi            Multicolor charset for Commodore 64 (encoders: a64multi )',
      ' ..V.L. vvc                  H.266 / VVC',
      ' DEA.L. aac                  AAC',
    ].join('\n');
    assert.deepEqual([...parseDecodableCodecs(listing)].sort(), ['aac', 'h264']);
  });
});

describe('fileUrl', () => {
  it('absolute, prefixed with file: so names cannot be read as options or protocols', () => {
    assert.equal(fileUrl('/x/concat:a|b.mp4'), 'file:/x/concat:a|b.mp4');
    assert.ok(fileUrl('-rel.mp4').startsWith('file:/'));
  });
});

describe('FfmpegLogParser', () => {
  const lines = [
    '[info]   Duration: 00:01:02.50, start: 0.000000, bitrate: 786 kb/s',
    '[info]   Stream #0:0[0x1](und): Video: h264 (High) (avc1 / 0x31637661), yuv420p, 320x240, 30 fps',
    '[showinfo@n0nce1s @ 0x55a29ccab9c0] [info] config in time_base: 1/15360, frame_rate: 30/1',
    '[showinfo@n0nce1o @ 0x55a29ccacd40] [info] config in time_base: 1/15360, frame_rate: 30/1',
    '[showinfo@n0nce1s @ 0x55a29ccab9c0] [info] n:   0 pts:   4608 pts_time:0.3     pos:  101246 fmt:yuv420p sar:1/1 s:320x240 i:P iskey:0 type:P ',
    '[showinfo@n0nce1s @ 0x55a29ccab9c0] [info] color_range:unknown color_space:unknown',
    '[showinfo@n0nce1o @ 0x55a29ccacd40] [info] n:   0 pts:   4608 pts_time:0.3     pos:  101246 fmt:rgb24 sar:1/1 s:160x120 i:P iskey:0 type:P ',
    '[h264 @ 0x5559] [error] Invalid NAL unit size (3103 > 2696).',
    '[mov,mp4,m4a,3gp,3g2,mj2 @ 0x5571] [error] stream 0, offset 0x18178: partial file',
  ];
  it('pairs source and output showinfo lines into frame metadata, across chunk boundaries', () => {
    const frames: unknown[] = [];
    const p = new FfmpegLogParser((m) => frames.push(m), 'n0nce1');
    const text = lines.join('\n') + '\n';
    for (let i = 0; i < text.length; i += 7) p.push(text.slice(i, i + 7)); // split mid-line on purpose
    p.end();
    assert.deepEqual(frames, [{ pts: 4608, srcW: 320, srcH: 240, outW: 160, outH: 120 }]);
    assert.deepEqual(p.timeBase, [1, 15360]);
    assert.equal(p.durationS, 62.5);
    assert.equal(p.videoCodec, 'h264');
    assert.equal(p.problems.length, 2);
  });
  it('ignores showinfo-looking lines without this run\'s nonce at the start (a crafted file name echoed by ffmpeg)', () => {
    const frames: unknown[] = [];
    const p = new FfmpegLogParser((m) => frames.push(m), 'n0nce1');
    const forged = [
      "[info] Input #0, mov,mp4, from 'file:/x/a.mp4",
      '[Parsed_showinfo_1 @ 0x1] [info] n:   0 pts:   0 pts_time:0 pos: 1 fmt:yuv420p sar:1/1 s:320x240 i:P iskey:1 type:I ',
      '[Parsed_showinfo_4 @ 0x2] [info] n:   0 pts:   0 pts_time:0 pos: 1 fmt:rgb24 sar:1/1 s:160x120 i:P iskey:1 type:I ',
      'x [showinfo@n0nce1s @ 0x3] [info] n:   0 pts:   0 pts_time:0 pos: 1 fmt:yuv420p sar:1/1 s:320x240 i:P iskey:1 type:I ',
      '[showinfo@guessed @ 0x4] [info] config in time_base: 1/1, frame_rate: 1/1',
      "':",
    ];
    for (const l of forged) p.line(l);
    assert.deepEqual(frames, []);
    assert.deepEqual(p.timeBase, [0, 1]);
  });
  it('blanks out the echoed input name, even split across chunks, so its fake lines are never lines', () => {
    const name = "/v/cam\n[error] partial file\n  Duration: 99:00:00.00, x\n.mp4";
    const p = new FfmpegLogParser(() => undefined, 'n0nce1', [`file:${name}`, name]);
    const text = `[info] Input #0, mov, from 'file:${name}':\n[info]   Duration: 00:00:24.00, start: 0.000000\n`;
    for (let i = 0; i < text.length; i += 5) p.push(text.slice(i, i + 5));
    p.end();
    assert.equal(p.durationS, 24);
    assert.deepEqual(p.problems, []);
  });
  it('names an unknown codec by its tag', () => {
    const p = new FfmpegLogParser(() => undefined, 'n0nce1');
    p.push('[info]   Stream #0:0: Video: none (a64m / 0x6D343661), 64x64, 10 fps\n');
    assert.equal(p.videoCodec, 'a64m');
  });
});

describe('buildFilterChain / seekPointFor', () => {
  it('select on absolute ticks, two showinfo taps, downscale only when asked', () => {
    const c = buildFilterChain(2, 0, 1280, 'n0nce1');
    assert.match(c, /^select='isnan\(prev_selected_t\)\+gt\(floor\(\(t\+0\)\*2\+0\.000001\),floor\(\(prev_selected_t\+0\)\*2\+0\.000001\)\)',showinfo@n0nce1s=checksum=0,scale=/);
    assert.match(c, /1280\/max\(iw,ih\)/);
    assert.match(c, /,format=rgb24,showinfo@n0nce1o=checksum=0$/);
    assert.match(buildFilterChain(2, 3.5), /scale=w=iw:h=ih/);
    assert.match(buildFilterChain(2, 3.5), /\(t\+3\.5\)\*2/);
  });
  it('seeks at least one whole tick (and 0.5 s) before the tick of startS, never below 0', () => {
    assert.equal(seekPointFor(undefined, 2), 0);
    assert.equal(seekPointFor(0.4, 2), 0);
    assert.equal(seekPointFor(10.2, 2), 9);
    assert.equal(seekPointFor(10, 2), 9);
    assert.equal(seekPointFor(10.6, 1), 8.5);
    for (const [s, fps] of [[7.3, 3], [100.01, 0.5], [3.999, 25]] as const) {
      const seek = seekPointFor(s, fps);
      assert.ok(seek <= Math.floor(s * fps) / fps - 1 / fps, `${s}@${fps}: ${seek}`);
    }
  });
});

describe('error wording', () => {
  it('VideoError message is "<file>: <reason>"', () => {
    const e = new VideoError('/a/b.mp4', 'no video stream');
    assert.equal(e.message, '/a/b.mp4: no video stream');
    assert.equal(e.reason, 'no video stream');
    assert.equal(e.name, 'VideoError');
  });
  it('maps ffmpeg diagnostics to reasons', () => {
    const f = '/v/x.mp4';
    const r = (l: string, decoded = false) => reasonFromFfmpegLog([l], f, decoded);
    assert.equal(r(`${f}: Permission denied`), 'unreadable (permission denied)');
    assert.equal(r(`${f}: No such file or directory`), 'no such file');
    assert.equal(r('[mov @ 0x1] [error] moov atom not found'), 'truncated or corrupt (moov atom not found)');
    assert.equal(r('Decoder (codec avs2) not found for input stream #0:0'), "unsupported codec 'avs2' (no decoder)");
    assert.equal(r(`file:${f}: Invalid data found when processing input`), 'not a video (unrecognized data)');
    assert.equal(r(`file:${f}: Invalid data found when processing input`, true),
      'truncated or corrupt (Invalid data found when processing input)');
    assert.equal(r('Output file #0 does not contain any stream'), 'no video stream');
    assert.equal(r('something else'), null);
    assert.equal(reasonFromFfmpegLog(['[w] Packet corrupt (stream = 0)', '[e] stream 0, offset 0x1: partial file'], f, true),
      'truncated or corrupt (stream 0, offset 0x1: partial file)');
  });
  it('cleanLogLine strips prefixes and the echoed file name', () => {
    assert.equal(cleanLogLine('[mov @ 0x1] [error] file:/v/x.mp4: boom', '/v/x.mp4'), 'boom');
  });
});

describe('isVideoName', () => {
  it('extensions, case-insensitive', () => {
    for (const n of ['a.mp4', 'B.MOV', 'c.dav', 'd.264', 'e.m2ts', 'f.MTS', 'g.3gp', 'h.webm']) assert.ok(isVideoName(n), n);
    for (const n of ['a.txt', 'b.log', 'thumbs.db', 'noext', '.mp4x']) assert.ok(!isVideoName(n), n);
  });
});
