const { src, dest } = require('gulp');

/** Copies the icons every node and credential points at into dist/nodes/icons/. */
function copyIcons() {
	return src('nodes/icons/*.{png,svg}', { base: '.', encoding: false }).pipe(dest('dist'));
}

exports['build:icons'] = copyIcons;
